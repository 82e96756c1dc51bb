/// Bulletin bodies of the bulletin vectors (Tests/Vectors/bulletins.json), copied byte for byte
/// from `Schemas/examples` when the vectors were made. Kept here rather than read from
/// `Schemas/` so that editing an example does not silently change a vector: the vectors say
/// what a node must accept, and `Tests/NodeTests/TransportVectorTests.swift` checks them
/// against the schemas as they are now. Each is the file's bytes, final newline included.
enum BulletinBodies {
    /// `Schemas/examples/drug-trafficking.json`.
    static let drugTrafficking = #"""
{
  "schemaVersion": "1.0.0",
  "id": "DZ-01JFK6SY9541SJ3EQHB6GD1GHC",
  "incidentType": "drug-trafficking",
  "title": {
    "ar": "حجز 1,2 طن من راتنج القنب قرب برج باجي مختار",
    "fr": "Saisie de 1,2 tonne de résine de cannabis près de Bordj Badji Mokhtar"
  },
  "summary": {
    "ar": "اعترضت وحدة لحرس الحدود قافلة من ثلاث سيارات رباعية الدفع على بعد 40 كلم شمال غرب برج باجي مختار، وحجزت 1,2 طن من راتنج القنب موزعة على 48 رزمة، وأوقفت أربعة أشخاص.",
    "fr": "Une unité des garde-frontières a intercepté un convoi de trois véhicules tout-terrain à 40 km au nord-ouest de Bordj Badji Mokhtar ; 1,2 tonne de résine de cannabis conditionnée en 48 ballots a été saisie et quatre personnes ont été interpellées."
  },
  "occurredAt": "2025-03-14T02:40:00+01:00",
  "reportedAt": "2025-03-14T09:15:00+01:00",
  "location": {
    "country": "DZ",
    "region": "Bordj Badji Mokhtar",
    "borderCrossingPoint": "Bordj Badji Mokhtar",
    "position": {
      "latitude": 21.6135,
      "longitude": 0.5512,
      "precisionMetres": 2000
    }
  },
  "severity": "high",
  "tlp": "AMBER",
  "sourceReliability": "B",
  "informationCredibility": 2,
  "workingGroup": "security",
  "reportingAgency": "Commandement des garde-frontières (GGF)",
  "details": {
    "seizures": [
      {
        "substance": "cannabis-resin",
        "quantity": {
          "value": 1200,
          "unit": "kg"
        },
        "packaging": "48 ballots de 25 kg, emballage plastique marqué d'un scorpion"
      }
    ],
    "concealment": "Ballots sous des bâches et des jerricans d'eau dans les bennes des pick-up",
    "transportMode": "off-road",
    "route": {
      "origin": "MA",
      "transit": [
        "DZ",
        "ML",
        "NE"
      ],
      "destination": "LY",
      "description": "Pistes sahariennes vers Tinzaouaten puis le nord du Niger"
    },
    "vehicles": [
      {
        "kind": "four-wheel-drive",
        "make": "Toyota",
        "model": "Land Cruiser",
        "colour": "beige",
        "count": 3
      }
    ],
    "suspectsArrested": 4,
    "suspectNationalities": [
      "DZA",
      "MLI"
    ]
  }
}

"""#

    /// `Schemas/examples/arms-trafficking.json`.
    static let armsTrafficking = #"""
{
  "schemaVersion": "1.0.0",
  "id": "TN-01JAEKG252XHYN9C4TCWHBPVMC",
  "incidentType": "arms-trafficking",
  "title": {
    "fr": "Saisie d'armes de guerre dans un véhicule à Ras Jedir",
    "ar": "حجز أسلحة حربية في سيارة بمعبر رأس جدير"
  },
  "summary": {
    "fr": "Au poste de Ras Jedir, la douane a découvert dans le double fond d'un véhicule immatriculé en Libye six fusils d'assaut, une mitrailleuse et 2 400 cartouches.",
    "ar": "اكتشفت الديوانة بمعبر رأس جدير في مخبأ بقاع سيارة مسجلة في ليبيا ستة بنادق هجومية ورشاشًا و2400 خرطوشة."
  },
  "occurredAt": "2025-01-22T16:05:00+01:00",
  "reportedAt": "2025-01-22T19:40:00+01:00",
  "location": {
    "country": "TN",
    "region": "Médenine",
    "borderCrossingPoint": "Ras Jedir",
    "position": {
      "latitude": 33.165,
      "longitude": 11.563,
      "precisionMetres": 100
    }
  },
  "severity": "critical",
  "tlp": "AMBER+STRICT",
  "sourceReliability": "A",
  "informationCredibility": 1,
  "workingGroup": "security",
  "reportingAgency": "Douane tunisienne",
  "details": {
    "weapons": [
      {
        "category": "small-arms",
        "weaponType": "assault-rifle",
        "model": "AKM",
        "calibre": "7,62×39 mm",
        "quantity": 6,
        "serialNumbers": [
          "1974 KL 20381",
          "1974 KL 20417",
          "AD 5521",
          "AD 5530",
          "BX 1190",
          "BX 1192"
        ],
        "countryOfManufacture": "RU"
      },
      {
        "category": "light-weapons",
        "weaponType": "heavy-machine-gun",
        "model": "PKM",
        "calibre": "7,62×54R",
        "quantity": 1
      }
    ],
    "ammunition": [
      {
        "calibre": "7,62×39 mm",
        "kind": "cartridges",
        "rounds": 1800
      },
      {
        "calibre": "7,62×54R",
        "kind": "cartridges",
        "rounds": 600
      }
    ],
    "concealment": "Double fond soudé sous le plancher du coffre",
    "route": {
      "origin": "LY",
      "destination": "TN"
    },
    "vehicles": [
      {
        "kind": "car",
        "make": "Hyundai",
        "model": "Santa Fe",
        "colour": "gris",
        "registrationCountry": "LY"
      }
    ],
    "suspectsArrested": 2
  }
}

"""#

}
