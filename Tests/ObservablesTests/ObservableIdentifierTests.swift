import Observables
import Testing

/// The normalisation rules of ObservableIdentifier, kind by kind.
@Suite("ObservableIdentifier normalisation")
struct ObservableIdentifierTests {
    func key(_ kind: IdentifierKind, _ value: String, _ country: String? = nil) -> String? {
        ObservableIdentifier.normalizedKey(kind: kind, value: value, country: country)
    }

    @Test("document: uppercase letters and digits, the issuing state first when given")
    func document() {
        #expect(key(.document, "ab 123-456") == "AB123456")
        #expect(key(.document, "AB123456", "mar") == "MAR:AB123456")
        #expect(key(.document, "AB123456", "not a state") == "AB123456")
        #expect(key(.document, "٠٨٧٦٥٤٣٢") == "08765432")
        #expect(key(.document, "ب123") == nil)
        #expect(key(.document, " - ") == nil)
        #expect(key(.document, String(repeating: "A", count: 33)) == nil)
        let identifier = ObservableIdentifier(kind: .document, value: "bk 482915", country: "MAR")
        #expect(identifier?.key == "MAR:BK482915")
        #expect(identifier?.number == "BK482915")
        #expect(identifier?.country == "MAR")
        #expect(identifier?.written == "bk 482915")
    }

    @Test("plate: letters of any script kept, the country first")
    func plate() {
        #expect(key(.plate, "ن ص ع 4721", "EG") == "EG:نصع4721")
        #expect(key(.plate, "AB 4417 KA", "ml") == "ML:AB4417KA")
        #expect(key(.plate, "٤٧٢١ - أ") == "4721ا")
    }

    @Test("IMO: 7 digits with a valid check digit, IMO prefix allowed")
    func imo() {
        #expect(key(.imo, "IMO 9074729") == "9074729")
        #expect(key(.imo, "9074729") == "9074729")
        #expect(key(.imo, "imo9074729") == "9074729")
        #expect(key(.imo, "9074728") == nil)
        #expect(key(.imo, "907472") == nil)
        #expect(ObservableIdentifier.imoCheckDigitIsValid("9074729"))
        #expect(!ObservableIdentifier.imoCheckDigitIsValid("12"))
    }

    @Test("MMSI 9 digits, VIN 17, IMEI 15, aircraft without hyphen")
    func fixedLengths() {
        #expect(key(.mmsi, "636 017 432") == "636017432")
        #expect(key(.mmsi, "63601743") == nil)
        #expect(key(.vin, "2t3bfrev5hw584712") == "2T3BFREV5HW584712")
        #expect(key(.vin, "2T3BFREV5HW58471") == nil)
        #expect(key(.imei, "49-015420-323751-8") == "490154203237518")
        #expect(key(.imei, "4901542032375") == nil)
        #expect(key(.aircraft, "5a-dkl") == "5ADKL")
        #expect(key(.aircraft, "X") == nil)
    }

    @Test("phone: digits, a leading + or 00 kept as +")
    func phone() {
        #expect(key(.phone, "+212 661-234-567") == "+212661234567")
        #expect(key(.phone, "00212661234567") == "+212661234567")
        #expect(key(.phone, "0661 23 45 67") == "0661234567")
        #expect(key(.phone, "+٢١٢٦٦١٢٣٤٥٦٧") == "+212661234567")
        #expect(key(.phone, "call me") == nil)
        #expect(key(.phone, "12345") == nil)
        #expect(key(.phone, "+1234567890123456") == nil)
    }

    @Test("hostile values: huge, marks, emoji — nil or bounded, no trap")
    func hostile() {
        for kind in IdentifierKind.allCases {
            _ = key(kind, String(repeating: "9", count: 1_000_000))
            #expect(key(kind, "😀") == nil)
            #expect(key(kind, "") == nil)
            #expect(key(kind, String(repeating: "\u{0301}", count: 10_000)) == nil)
        }
    }
}
