import Clearance
import Exchange
import Foundation
import Testing

/// Every rule of docs/CONSOLE.md's "Who may read what", one test each, with the boundaries.
@Suite("ClearancePolicy: who may read what")
struct ClearancePolicyTests {
    static func reader(
        _ groups: Set<WorkingGroup> = [.customs], highest: TLP = .amber, agency: AgencyKind = .lawEnforcement
    ) -> Clearance {
        Clearance(role: .reader, workingGroups: groups, highestTLP: highest, agencyKind: agency)
    }

    static func facts(
        tlp: TLP = .green, group: WorkingGroup? = .customs, handling: Set<String> = [], isOwn: Bool = false
    ) -> BulletinAccessFacts {
        BulletinAccessFacts(tlp: tlp, workingGroup: group, handling: handling, origin: "DZ", isOwn: isOwn)
    }

    @Test("an officer reads every bulletin of its node: sent and received, every TLP, working group and handling code")
    func officerReadsEverything() {
        // The officer's own groups, TLP and agency do not narrow anything.
        let officer = Clearance(role: .officer, workingGroups: [], highestTLP: .clear, agencyKind: .other)
        for tlp in TLP.allCases {
            for group in WorkingGroup.allCases.map(Optional.some) + [nil] {
                for handling in [[], Set(HandlingCode.allCases.map(\.rawValue)), ["from-a-newer-schema"]] as [Set<String>] {
                    for isOwn in [true, false] {
                        #expect(ClearancePolicy.decide(officer, for: Self.facts(tlp: tlp, group: group, handling: handling, isOwn: isOwn)) == .allowed)
                    }
                }
            }
        }
        #expect(ClearancePolicy.readableScope(officer) == .everything)
    }

    @Test("operators and auditors see no bulletin content, whatever their other fields say", arguments: [ConsoleRole.operator, .auditor])
    func noContentRoles(role: ConsoleRole) {
        let clearance = Clearance(role: role, workingGroups: Set(WorkingGroup.allCases), highestTLP: .red, agencyKind: .lawEnforcement)
        for tlp in TLP.allCases {
            for isOwn in [true, false] {
                #expect(ClearancePolicy.decide(clearance, for: Self.facts(tlp: tlp, isOwn: isOwn)) == .refused(.roleSeesNoContent(role)))
            }
        }
        #expect(ClearancePolicy.readableScope(clearance) == .nothing)
    }

    @Test("a reader reads only its working groups; a bulletin without one is refused")
    func readerWorkingGroups() {
        let customs = Self.reader([.customs])
        #expect(ClearancePolicy.decide(customs, for: Self.facts(group: .customs)) == .allowed)
        for other in WorkingGroup.allCases where other != .customs {
            #expect(ClearancePolicy.decide(customs, for: Self.facts(group: other)) == .refused(.workingGroup(other)))
        }
        #expect(ClearancePolicy.decide(customs, for: Self.facts(group: nil)) == .refused(.noWorkingGroup))
        let two = Self.reader([.customs, .justice])
        #expect(ClearancePolicy.decide(two, for: Self.facts(group: .justice)) == .allowed)
        #expect(ClearancePolicy.decide(two, for: Self.facts(group: .security)) == .refused(.workingGroup(.security)))
        // No working group at all: nothing.
        #expect(ClearancePolicy.decide(Self.reader([]), for: Self.facts(group: .customs)) == .refused(.workingGroup(.customs)))
        #expect(ClearancePolicy.readableScope(Self.reader([])) == .nothing)
    }

    @Test("a reader reads up to its highest TLP in the order CLEAR < GREEN < AMBER < AMBER+STRICT < RED")
    func readerTLPOrder() {
        let order: [TLP] = [.clear, .green, .amber, .amberStrict]
        for (h, highest) in order.enumerated() {
            let clearance = Self.reader(highest: highest)
            for (b, tlp) in order.enumerated() {
                let expected: AccessDecision = b <= h ? .allowed : .refused(.tlpAbove(tlp))
                #expect(ClearancePolicy.decide(clearance, for: Self.facts(tlp: tlp)) == expected, "reader \(highest), bulletin \(tlp)")
            }
        }
    }

    @Test("boundaries: AMBER reader and AMBER+STRICT bulletin, GREEN reader and AMBER, CLEAR reader and GREEN")
    func readerTLPBoundaries() {
        #expect(ClearancePolicy.decide(Self.reader(highest: .amber), for: Self.facts(tlp: .amberStrict)) == .refused(.tlpAbove(.amberStrict)))
        #expect(ClearancePolicy.decide(Self.reader(highest: .amber), for: Self.facts(tlp: .amber)) == .allowed)
        #expect(ClearancePolicy.decide(Self.reader(highest: .amberStrict), for: Self.facts(tlp: .amberStrict)) == .allowed)
        #expect(ClearancePolicy.decide(Self.reader(highest: .green), for: Self.facts(tlp: .amber)) == .refused(.tlpAbove(.amber)))
        #expect(ClearancePolicy.decide(Self.reader(highest: .clear), for: Self.facts(tlp: .green)) == .refused(.tlpAbove(.green)))
        #expect(ClearancePolicy.decide(Self.reader(highest: .clear), for: Self.facts(tlp: .clear)) == .allowed)
    }

    @Test("a reader never reads TLP:RED, even cleared up to RED: it goes to the named liaison officers only")
    func readerNeverRed() {
        for agency in AgencyKind.allCases {
            for highest in TLP.allCases {
                let clearance = Self.reader(Set(WorkingGroup.allCases), highest: highest, agency: agency)
                #expect(ClearancePolicy.decide(clearance, for: Self.facts(tlp: .red)) == .refused(.tlpRed))
                #expect(ClearancePolicy.decide(clearance, for: Self.facts(tlp: .red, isOwn: true)) == .refused(.tlpRed))
            }
        }
        // A reader cleared "up to RED" reads AMBER+STRICT, the highest a reader can.
        #expect(ClearancePolicy.decide(Self.reader(highest: .red), for: Self.facts(tlp: .amberStrict)) == .allowed)
    }

    @Test("law-enforcement-use-only: law-enforcement readers only")
    func lawEnforcementOnly() {
        let code = HandlingCode.lawEnforcementUseOnly.rawValue
        #expect(ClearancePolicy.decide(Self.reader(agency: .lawEnforcement), for: Self.facts(handling: [code])) == .allowed)
        #expect(ClearancePolicy.decide(Self.reader(agency: .intelligence), for: Self.facts(handling: [code])) == .refused(.handling(.lawEnforcementUseOnly)))
        #expect(ClearancePolicy.decide(Self.reader(agency: .other), for: Self.facts(handling: [code])) == .refused(.handling(.lawEnforcementUseOnly)))
    }

    @Test("no-further-dissemination: the receiving liaison bureau (officers) only, never an agency reader", arguments: AgencyKind.allCases)
    func noFurtherDissemination(agency: AgencyKind) {
        let facts = Self.facts(handling: [HandlingCode.noFurtherDissemination.rawValue])
        #expect(ClearancePolicy.decide(Self.reader(agency: agency), for: facts) == .refused(.handling(.noFurtherDissemination)))
        let officer = Clearance(role: .officer, workingGroups: [], highestTLP: .clear, agencyKind: agency)
        #expect(ClearancePolicy.decide(officer, for: facts) == .allowed)
    }

    @Test("the codes that bind use, not reading, are shown and do not stop a reader", arguments: AgencyKind.allCases)
    func shownCodes(agency: AgencyKind) {
        let codes: [HandlingCode] = [.noJudicialUseWithoutConsent, .noActionWithoutConsultation, .notForThirdStates]
        for code in codes {
            #expect(ClearancePolicy.decide(Self.reader(agency: agency), for: Self.facts(handling: [code.rawValue])) == .allowed)
        }
        #expect(ClearancePolicy.decide(Self.reader(agency: agency), for: Self.facts(handling: Set(codes.map(\.rawValue)))) == .allowed)
    }

    @Test("an unknown handling code (a newer schema) refuses readers: fail closed")
    func unknownHandling() {
        #expect(ClearancePolicy.decide(Self.reader(), for: Self.facts(handling: ["no-use-on-tuesdays"])) == .refused(.unknownHandling("no-use-on-tuesdays")))
        #expect(ClearancePolicy.decide(Self.reader(), for: Self.facts(handling: ["not-for-third-states", "zz-new"])) == .refused(.unknownHandling("zz-new")))
        // Case matters: codes are lower-case kebab-case.
        #expect(ClearancePolicy.decide(Self.reader(), for: Self.facts(handling: ["NOT-FOR-THIRD-STATES"])) == .refused(.unknownHandling("NOT-FOR-THIRD-STATES")))
    }

    @Test("rules apply in the table's order: working group, then RED, then TLP, then handling")
    func ruleOrder() {
        let reader = Self.reader([.customs], highest: .green, agency: .other)
        #expect(ClearancePolicy.decide(reader, for: Self.facts(tlp: .red, group: .justice, handling: ["x"])) == .refused(.workingGroup(.justice)))
        #expect(ClearancePolicy.decide(reader, for: Self.facts(tlp: .red, handling: ["x"])) == .refused(.tlpRed))
        #expect(ClearancePolicy.decide(reader, for: Self.facts(tlp: .amber, handling: ["x"])) == .refused(.tlpAbove(.amber)))
        #expect(ClearancePolicy.decide(reader, for: Self.facts(handling: ["law-enforcement-use-only", "no-further-dissemination"])) == .refused(.handling(.lawEnforcementUseOnly)))
    }

    @Test("own bulletins follow the same rules for readers")
    func ownBulletinsForReaders() {
        #expect(ClearancePolicy.decide(Self.reader(), for: Self.facts(isOwn: true)) == .allowed)
        #expect(ClearancePolicy.decide(Self.reader(), for: Self.facts(group: .justice, isOwn: true)) == .refused(.workingGroup(.justice)))
    }

    @Test("pages: officers post; operators see links and manage users; auditors see the audit")
    func pages() {
        for role in ConsoleRole.allCases {
            let clearance = Clearance(role: role, workingGroups: Set(WorkingGroup.allCases), highestTLP: .red, agencyKind: .lawEnforcement)
            #expect(ClearancePolicy.canPost(clearance) == (role == .officer))
            #expect(ClearancePolicy.canSeeLinks(clearance) == (role == .operator))
            #expect(ClearancePolicy.canManageUsers(clearance) == (role == .operator))
            #expect(ClearancePolicy.canSeeAudit(clearance) == (role == .auditor))
        }
    }

    @Test("a readable scope admits exactly what decide allows, for every clearance and every marking")
    func scopeAgreesWithDecide() {
        let codes = HandlingCode.allCases.map(\.rawValue) + ["from-a-newer-schema"]
        var handlingSets: [Set<String>] = [[]]
        for (i, a) in codes.enumerated() {
            handlingSets.append([a])
            for b in codes[(i + 1)...] { handlingSets.append([a, b]) }
        }
        let groupSets: [Set<WorkingGroup>] = (0..<16).map { mask in
            Set(WorkingGroup.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
        }
        var checked = 0
        for role in ConsoleRole.allCases {
            for groups in groupSets {
                for highest in TLP.allCases {
                    for agency in AgencyKind.allCases {
                        let clearance = Clearance(role: role, workingGroups: groups, highestTLP: highest, agencyKind: agency)
                        let scope = ClearancePolicy.readableScope(clearance)
                        for tlp in TLP.allCases {
                            for group in WorkingGroup.allCases.map(Optional.some) + [nil] {
                                for handling in handlingSets {
                                    let facts = Self.facts(tlp: tlp, group: group, handling: handling)
                                    let admitted: Bool
                                    switch scope {
                                    case .everything: admitted = true
                                    case .nothing: admitted = false
                                    case .restricted(let groups, let tlps, let permitted):
                                        admitted = group.map(groups.contains) == true && tlps.contains(tlp) && handling.isSubset(of: permitted)
                                    }
                                    if admitted != ClearancePolicy.decide(clearance, for: facts).isAllowed {
                                        Issue.record("\(clearance) \(facts): scope \(admitted), decide \(ClearancePolicy.decide(clearance, for: facts))")
                                        return
                                    }
                                    checked += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 4 * 16 * 5 * 3 * 5 * 5 * 22)
    }

    @Test("an agency is held to a reader's rules, but receives TLP:RED when its grant names it")
    func agencyGrant() {
        let customs = AgencyGrant(workingGroups: [.customs], highestTLP: .amber, agencyKind: .lawEnforcement)
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(tlp: .amber, group: .customs)) == .allowed)
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(tlp: .amberStrict, group: .customs)) == .refused(.tlpAbove(.amberStrict)))
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(tlp: .red, group: .customs)) == .refused(.tlpRed))
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(group: .security)) == .refused(.workingGroup(.security)))
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(group: nil)) == .refused(.noWorkingGroup))
        #expect(
            ClearancePolicy.decide(agency: customs, for: Self.facts(handling: ["no-further-dissemination"]))
                == .refused(.handling(.noFurtherDissemination)))
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(handling: ["law-enforcement-use-only"])) == .allowed)
        let intelligence = AgencyGrant(workingGroups: [.customs], highestTLP: .amber, agencyKind: .intelligence)
        #expect(
            ClearancePolicy.decide(agency: intelligence, for: Self.facts(handling: ["law-enforcement-use-only"]))
                == .refused(.handling(.lawEnforcementUseOnly)))
        #expect(ClearancePolicy.decide(agency: customs, for: Self.facts(handling: ["from-a-newer-schema"])) == .refused(.unknownHandling("from-a-newer-schema")))
        // Named for RED: every TLP of its groups, and still no further dissemination.
        let named = AgencyGrant(workingGroups: [.customs], highestTLP: .red, agencyKind: .lawEnforcement)
        for tlp in TLP.allCases {
            #expect(ClearancePolicy.decide(agency: named, for: Self.facts(tlp: tlp, group: .customs)) == .allowed)
        }
        #expect(
            ClearancePolicy.decide(agency: named, for: Self.facts(tlp: .red, handling: ["no-further-dissemination"]))
                == .refused(.handling(.noFurtherDissemination)))
        #expect(ClearancePolicy.readableScope(agency: AgencyGrant(workingGroups: [], highestTLP: .red, agencyKind: .lawEnforcement)) == .nothing)
    }

    @Test("an agency's readable scope admits exactly what decide(agency:) allows")
    func agencyScopeAgreesWithDecide() {
        let codes = HandlingCode.allCases.map(\.rawValue) + ["from-a-newer-schema"]
        var handlingSets: [Set<String>] = [[]]
        for code in codes { handlingSets.append([code]) }
        var checked = 0
        for mask in 0..<16 {
            let groups = Set(WorkingGroup.allCases.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
            for highest in TLP.allCases {
                for agency in AgencyKind.allCases {
                    let grant = AgencyGrant(workingGroups: groups, highestTLP: highest, agencyKind: agency)
                    let scope = ClearancePolicy.readableScope(agency: grant)
                    for tlp in TLP.allCases {
                        for group in WorkingGroup.allCases.map(Optional.some) + [nil] {
                            for handling in handlingSets {
                                let facts = Self.facts(tlp: tlp, group: group, handling: handling)
                                let admitted: Bool
                                switch scope {
                                case .everything: admitted = true
                                case .nothing: admitted = false
                                case .restricted(let groups, let tlps, let permitted):
                                    admitted = group.map(groups.contains) == true && tlps.contains(tlp) && handling.isSubset(of: permitted)
                                }
                                #expect(admitted == ClearancePolicy.decide(agency: grant, for: facts).isAllowed, "\(grant) \(facts)")
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 16 * 5 * 3 * 5 * 5 * 7)
    }
}
