import Names
import Observables
import Testing

/// PersonCorrelation's combination (docs/SEARCH.md, "Person correlation").
@Suite("PersonCorrelation")
struct PersonCorrelationTests {
    @Test("محمد بن يوسف and Mohamed Ben Youssef, both born 1985-03-02: linked")
    func sameBirthDate() throws {
        let a = ObservedPerson(name: "محمد بن يوسف", birthDate: "1985-03-02", birthYear: 1985)
        let b = ObservedPerson(name: "Mohamed Ben Youssef", birthDate: "1985-03-02", birthYear: 1985)
        let match = try #require(PersonCorrelation.match(a, b))
        #expect(match.score >= PersonCorrelation.threshold)
        #expect(match.reasons.contains("same birth date 1985-03-02"))
        #expect(match.reasons.first?.hasPrefix("name 0.") == true || match.reasons.first?.hasPrefix("name 1.") == true)
        #expect(match.reasons.first?.contains("محمد بن يوسف") == true)
    }

    @Test("the same names born on different dates: no link")
    func differentBirthDate() {
        let a = ObservedPerson(name: "محمد بن يوسف", birthDate: "1985-03-02")
        let b = ObservedPerson(name: "Mohamed Ben Youssef", birthDate: "1991-07-14")
        #expect(PersonCorrelation.match(a, b) == nil)
    }

    @Test("Ahmed and Hamid with nothing else: no link (a single name is weak alone)")
    func singleNamesAlone() {
        let matcher = NameMatcher()
        #expect(matcher.score("Ahmed", "Hamid") >= NameMatcher.threshold)  // the matcher's known failure case
        #expect(PersonCorrelation.match(ObservedPerson(name: "Ahmed"), ObservedPerson(name: "Hamid")) == nil)
        // Even one name spelled two ways needs more than the name.
        #expect(PersonCorrelation.match(ObservedPerson(name: "Youssef"), ObservedPerson(name: "يوسف")) == nil)
        #expect(PersonCorrelation.match(ObservedPerson(name: "Ahmed"), ObservedPerson(name: "Ahmed")) == nil)
        #expect(PersonCorrelation.match(ObservedPerson(name: "Ahmed", birthYear: 1980), ObservedPerson(name: "Ahmed", birthYear: 1980)) != nil)
        let evaluation = PersonCorrelation.evaluate(PreparedPerson(ObservedPerson(name: "Ahmed")), PreparedPerson(ObservedPerson(name: "Hamid")))
        #expect(evaluation?.reasons.contains("a single name, weak alone") == true)
    }

    @Test("a single name with the same birth date is linked")
    func singleNameWithBirthDate() {
        let a = ObservedPerson(name: "Youssef", birthDate: "1990-01-05")
        let b = ObservedPerson(name: "يوسف", birthDate: "1990-01-05")
        #expect(PersonCorrelation.match(a, b) != nil)
    }

    @Test("full names alone are linked; a different given name is not")
    func fullNamesAlone() {
        #expect(PersonCorrelation.match(ObservedPerson(name: "محمد بن يوسف"), ObservedPerson(name: "Mohamed Ben Youssef")) != nil)
        #expect(PersonCorrelation.match(ObservedPerson(name: "Mohamed Ben Ali"), ObservedPerson(name: "Mohamed Ben Salah")) == nil)
    }

    @Test("birth years: equal raises, one apart keeps, further apart refuses")
    func birthYears() throws {
        let a = ObservedPerson(name: "Karim Bouzid", birthYear: 1987)
        let same = try #require(PersonCorrelation.match(a, ObservedPerson(name: "كريم بوزيد", birthYear: 1987)))
        let near = try #require(PersonCorrelation.match(a, ObservedPerson(name: "كريم بوزيد", birthDate: "1988-02-01")))
        #expect(same.score >= near.score)
        #expect(same.reasons.contains("same birth year 1987"))
        #expect(near.reasons.contains("birth years 1987 and 1988, one apart"))
        #expect(PersonCorrelation.match(a, ObservedPerson(name: "كريم بوزيد", birthYear: 1990)) == nil)
    }

    @Test("nationalities: a shared one raises, disjoint ones lower")
    func nationalities() throws {
        let a = ObservedPerson(name: "Rachid El Ouazzani", nationalities: ["MAR"])
        let shared = try #require(PersonCorrelation.evaluate(PreparedPerson(a), PreparedPerson(ObservedPerson(name: "رشيد الوزاني", nationalities: ["MAR", "ESP"]))))
        let disjoint = try #require(PersonCorrelation.evaluate(PreparedPerson(a), PreparedPerson(ObservedPerson(name: "رشيد الوزاني", nationalities: ["DZA"]))))
        let none = try #require(PersonCorrelation.evaluate(PreparedPerson(a), PreparedPerson(ObservedPerson(name: "رشيد الوزاني"))))
        #expect(shared.score > none.score || shared.score == 1)
        #expect(disjoint.score < none.score)
        #expect(shared.reasons.contains("same nationality MAR"))
        #expect(disjoint.reasons.contains("nationalities differ (MAR / DZA)"))
    }

    @Test("aliases count: the best pair over names and aliases")
    func aliases() throws {
        let a = ObservedPerson(name: "أبو صلاح", aliases: ["Karim Bouzid"], birthYear: 1987)
        let b = ObservedPerson(name: "BOUZID Karim", birthYear: 1987)
        let match = try #require(PersonCorrelation.match(a, b))
        #expect(match.reasons.first?.contains("Karim Bouzid ≈ BOUZID Karim") == true)
    }

    @Test("prepared persons give the same result; the score is symmetric and in 0…1")
    func preparedAndSymmetric() {
        let pairs: [(ObservedPerson, ObservedPerson)] = [
            (ObservedPerson(name: "محمد بن يوسف", birthDate: "1985-03-02"), ObservedPerson(name: "Mohamed Ben Youssef", birthYear: 1985)),
            (ObservedPerson(name: "Ahmed", nationalities: ["EGY"]), ObservedPerson(name: "Hamid", nationalities: ["EGY"])),
            (ObservedPerson(name: ""), ObservedPerson(name: "😀")),
        ]
        for (a, b) in pairs {
            let direct = PersonCorrelation.match(a, b)
            #expect(direct == PersonCorrelation.match(PreparedPerson(a), PreparedPerson(b)))
            #expect(direct?.score == PersonCorrelation.match(b, a)?.score)
            if let score = PersonCorrelation.evaluate(PreparedPerson(a), PreparedPerson(b))?.score {
                #expect((0...1).contains(score))
            }
        }
        #expect(PersonCorrelation.match(ObservedPerson(name: ""), ObservedPerson(name: "")) == nil)
    }
}
