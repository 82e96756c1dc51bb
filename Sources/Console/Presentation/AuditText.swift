import BulletinSchema

/// Every word of the auditor's pages in Arabic, French and English: the same mechanism as
/// ``ConsoleText`` (one `LocalizedText` per case, `{{a.name}}` in the templates), in a table of
/// its own so the audit pages stay in their own files.
enum AuditText: String, CaseIterable {
    case audit, matrix, matrixExplanation, findings, history, nodes, node, originRecipient
    case sent, received, acknowledged, rejected, missing, mismatch, late, pending, neverSent, replayRequested, maximumDelay
    case idle, green, amber, red, critical, warning
    case severity, kind, state, when, explanation, anyNode, anyKind, apply, older, none
    case collectionFindings, reconciliationFindings, evidenceHeads, entryIndex
    case run, startedAt, outcome, headSize, headTime, failures, lastCollection, headsAccepted, entriesHeld, root, collectedAt
    case collected, upToDate, unreachable, refused, flagged, never
    case link, rejections, reason, loggedBy, sequence, sequences, inRoster, equivocationFlag, tooLarge, notCollected
    case legend, linkNotInLogs, shownAtMost
    case attachments, attachmentsExplanation, files, complete, inTransfer, overdue, filesRefused, unacknowledged, neverStored
    case acknowledgedNotReceived, disagreements, file, field, filesOverdue, fileDisagreements

    var text: LocalizedText {
        switch self {
        case .audit: LocalizedText(ar: "التدقيق", fr: "Audit", en: "Audit")
        case .matrix: LocalizedText(ar: "مصفوفة المطابقة", fr: "Matrice de rapprochement", en: "Reconciliation matrix")
        case .matrixExplanation:
            LocalizedText(
                ar: "الصفوف: دولة المنشأ؛ الأعمدة: الدولة المتلقية. في كل خانة: المرسل / المستلم / المؤكد بإيصال.",
                fr: "Lignes : État d'origine ; colonnes : État destinataire. Dans chaque case : émis / reçus / accusés.",
                en: "Rows: origin state; columns: recipient state. Each cell: sent / received / acknowledged.")
        case .findings: LocalizedText(ar: "الملاحظات", fr: "Constats", en: "Findings")
        case .history: LocalizedText(ar: "سجل الجمع", fr: "Historique des collectes", en: "Collection history")
        case .nodes: LocalizedText(ar: "العُقد", fr: "Nœuds", en: "Nodes")
        case .node: LocalizedText(ar: "العقدة", fr: "Nœud", en: "Node")
        case .originRecipient: LocalizedText(ar: "المنشأ ↓ / المتلقي ←", fr: "Origine ↓ / destinataire →", en: "Origin ↓ / recipient →")
        case .sent: LocalizedText(ar: "مرسلة", fr: "Émis", en: "Sent")
        case .received: LocalizedText(ar: "مستلمة", fr: "Reçus", en: "Received")
        case .acknowledged: LocalizedText(ar: "مؤكدة بإيصال", fr: "Accusés", en: "Acknowledged")
        case .rejected: LocalizedText(ar: "مرفوضة", fr: "Rejetés", en: "Rejected")
        case .missing: LocalizedText(ar: "مفقودة", fr: "Manquants", en: "Missing")
        case .mismatch: LocalizedText(ar: "بصمة مختلفة", fr: "Empreinte différente", en: "Hash mismatch")
        case .late: LocalizedText(ar: "متأخرة", fr: "En retard", en: "Late")
        case .pending: LocalizedText(ar: "قيد الانتظار", fr: "En attente", en: "Pending")
        case .neverSent: LocalizedText(ar: "مستلمة دون إرسال", fr: "Reçus jamais émis", en: "Received, never sent")
        case .replayRequested: LocalizedText(ar: "طلبات إعادة الإرسال", fr: "Renvois demandés", en: "Replays requested")
        case .maximumDelay: LocalizedText(ar: "أطول تأخير (مللي ثانية)", fr: "Délai maximal (ms)", en: "Longest delay (ms)")
        case .idle: LocalizedText(ar: "بلا حركة", fr: "Inactif", en: "Idle")
        case .green: LocalizedText(ar: "سليم", fr: "Conforme", en: "Reconciled")
        case .amber: LocalizedText(ar: "يستدعي المتابعة", fr: "À surveiller", en: "To watch")
        case .red: LocalizedText(ar: "خلل", fr: "Anomalie", en: "Discrepancy")
        case .critical: LocalizedText(ar: "حرج", fr: "Critique", en: "Critical")
        case .warning: LocalizedText(ar: "تنبيه", fr: "Avertissement", en: "Warning")
        case .severity: LocalizedText(ar: "الخطورة", fr: "Gravité", en: "Severity")
        case .kind: LocalizedText(ar: "النوع", fr: "Nature", en: "Kind")
        case .state: LocalizedText(ar: "الدولة", fr: "État", en: "State")
        case .when: LocalizedText(ar: "التاريخ", fr: "Date", en: "When")
        case .explanation: LocalizedText(ar: "الشرح", fr: "Explication", en: "Explanation")
        case .anyNode: LocalizedText(ar: "كل العقد", fr: "Tous les nœuds", en: "Any node")
        case .anyKind: LocalizedText(ar: "كل الأنواع", fr: "Toutes natures", en: "Any kind")
        case .apply: LocalizedText(ar: "تطبيق", fr: "Appliquer", en: "Apply")
        case .older: LocalizedText(ar: "الأقدم", fr: "Plus anciens", en: "Older")
        case .none: LocalizedText(ar: "لا شيء.", fr: "Aucun.", en: "None.")
        case .collectionFindings: LocalizedText(ar: "ملاحظات الجمع", fr: "Constats de la collecte", en: "Collection findings")
        case .reconciliationFindings: LocalizedText(ar: "ملاحظات المطابقة", fr: "Constats du rapprochement", en: "Reconciliation findings")
        case .evidenceHeads: LocalizedText(ar: "رؤوس الإثبات", fr: "Têtes en preuve", en: "Evidence heads")
        case .entryIndex: LocalizedText(ar: "القيد", fr: "Entrée", en: "Entry")
        case .run: LocalizedText(ar: "عملية الجمع", fr: "Collecte", en: "Run")
        case .startedAt: LocalizedText(ar: "البدء", fr: "Début", en: "Started")
        case .outcome: LocalizedText(ar: "النتيجة", fr: "Résultat", en: "Outcome")
        case .headSize: LocalizedText(ar: "حجم الرأس المقبول", fr: "Taille de la tête acceptée", en: "Accepted head size")
        case .headTime: LocalizedText(ar: "وقت الرأس", fr: "Heure de la tête", en: "Head time")
        case .failures: LocalizedText(ar: "الإخفاقات", fr: "Échecs", en: "Failures")
        case .lastCollection: LocalizedText(ar: "آخر جمع", fr: "Dernière collecte", en: "Last collection")
        case .headsAccepted: LocalizedText(ar: "الرؤوس المقبولة", fr: "Têtes acceptées", en: "Heads accepted")
        case .entriesHeld: LocalizedText(ar: "القيود المحفوظة", fr: "Entrées détenues", en: "Entries held")
        case .root: LocalizedText(ar: "الجذر", fr: "Racine", en: "Root")
        case .collectedAt: LocalizedText(ar: "وقت الجمع", fr: "Collectée le", en: "Collected")
        case .collected: LocalizedText(ar: "جُمعت", fr: "collecté", en: "collected")
        case .upToDate: LocalizedText(ar: "محدّثة", fr: "à jour", en: "up to date")
        case .unreachable: LocalizedText(ar: "تعذّر الوصول", fr: "injoignable", en: "unreachable")
        case .refused: LocalizedText(ar: "رفضت الطلب", fr: "refusé", en: "refused")
        case .flagged: LocalizedText(ar: "مُبلَّغ عنها", fr: "signalé", en: "flagged")
        case .never: LocalizedText(ar: "لم تُجمع بعد", fr: "jamais collecté", en: "never collected")
        case .link: LocalizedText(ar: "الرابط", fr: "Liaison", en: "Link")
        case .rejections: LocalizedText(ar: "حالات الرفض", fr: "Rejets", en: "Rejections")
        case .reason: LocalizedText(ar: "السبب", fr: "Motif", en: "Reason")
        case .loggedBy: LocalizedText(ar: "سجّلتها", fr: "Consigné par", en: "Logged by")
        case .sequence: LocalizedText(ar: "الرقم التسلسلي", fr: "Numéro de séquence", en: "Sequence")
        case .sequences: LocalizedText(ar: "الأرقام التسلسلية", fr: "Numéros de séquence", en: "Sequences")
        case .inRoster: LocalizedText(ar: "في القائمة", fr: "Au registre", en: "In the roster")
        case .equivocationFlag:
            LocalizedText(ar: "أظهرت هذه العقدة سجلّين متناقضين", fr: "Ce nœud a présenté deux historiques", en: "This node showed two histories")
        case .tooLarge:
            LocalizedText(
                ar: "السجلات المجمّعة أكبر من أن تُطابق هنا؛ شغّل bordernet audit report على خادم الأمانة.",
                fr: "Les journaux collectés sont trop volumineux pour être rapprochés ici ; lancez bordernet audit report sur le serveur du secrétariat.",
                en: "The collected logs are too large to reconcile here; run bordernet audit report on the secretariat's server.")
        case .notCollected: LocalizedText(ar: "لم يُجمع شيء من هذه العقدة.", fr: "Rien n'a été collecté de ce nœud.", en: "Nothing was collected from this node.")
        case .legend: LocalizedText(ar: "دليل الألوان", fr: "Légende", en: "Legend")
        case .linkNotInLogs: LocalizedText(ar: "لا يذكر أي سجل هذا الرابط.", fr: "Aucun journal ne mentionne cette liaison.", en: "No log mentions this link.")
        case .shownAtMost: LocalizedText(ar: "يُعرض 200 على الأكثر", fr: "200 au plus sont affichés", en: "at most 200 are shown")
        case .attachments: LocalizedText(ar: "المرفقات", fr: "Pièces jointes", en: "Attachments")
        case .attachmentsExplanation:
            LocalizedText(
                ar: "ملفات النشرات المرسلة على هذا الرابط: الأرقام والبصمات والأحجام كما تسجلها السجلات، دون أي محتوى.",
                fr: "Fichiers des bulletins émis sur cette liaison : numéros, empreintes et tailles tels que les journaux les consignent, jamais le contenu.",
                en: "Files of the bulletins sent on this link: numbers, hashes and sizes as the logs record them, never content.")
        case .files: LocalizedText(ar: "الملفات", fr: "Fichiers", en: "Files")
        case .complete: LocalizedText(ar: "مكتملة ومؤكدة بإيصال", fr: "Complets et accusés", en: "Complete and acknowledged")
        case .inTransfer: LocalizedText(ar: "قيد النقل", fr: "En cours de transfert", en: "In transfer")
        case .overdue: LocalizedText(ar: "تجاوزت المهلة", fr: "Hors délai", en: "Overdue")
        case .filesRefused: LocalizedText(ar: "رفضها المتلقي", fr: "Refusés par le destinataire", en: "Refused by the recipient")
        case .unacknowledged: LocalizedText(ar: "مستلمة دون إيصال", fr: "Reçus sans accusé", en: "Received, not acknowledged")
        case .neverStored: LocalizedText(ar: "غير مخزّنة لدى المنشأ", fr: "Jamais stockés à l'origine", en: "Never stored at the origin")
        case .acknowledgedNotReceived: LocalizedText(ar: "مؤكدة دون استلام", fr: "Accusés sans réception", en: "Acknowledged, never received")
        case .disagreements: LocalizedText(ar: "تعارضات", fr: "Désaccords", en: "Disagreements")
        case .file: LocalizedText(ar: "الملف", fr: "Fichier", en: "File")
        case .field: LocalizedText(ar: "الحقل", fr: "Champ", en: "Field")
        case .filesOverdue: LocalizedText(ar: "مرفقات تجاوزت المهلة", fr: "Pièces jointes hors délai", en: "Attachments overdue")
        case .fileDisagreements:
            LocalizedText(ar: "تعارضات في المرفقات", fr: "Désaccords sur les pièces jointes", en: "Attachment disagreements")
        }
    }

    /// The text in `language`.
    func callAsFunction(_ language: Language) -> String { text[language] }

    /// Every text in `language`, keyed by case name, for templates (`{{a.matrix}}`).
    static func table(_ language: Language) -> [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0(language)) })
    }

    /// The label of a finding kind (the collector's and the report's), the code when it has none.
    static func kindLabel(_ kind: String, _ language: Language) -> String {
        let labels: [String: LocalizedText] = [
            "equivocation": LocalizedText(ar: "ازدواجية السجل", fr: "Équivoque", en: "Equivocation"),
            "inconsistent": LocalizedText(ar: "سجل غير متّسق", fr: "Journal incohérent", en: "Inconsistent log"),
            "badHead": LocalizedText(ar: "رأس غير صالح", fr: "Tête invalide", en: "Bad head"),
            "badEntries": LocalizedText(ar: "قيود لا تطابق الرأس", fr: "Entrées non conformes", en: "Bad entries"),
            "implausibleValue": LocalizedText(ar: "قيمة غير معقولة", fr: "Valeur invraisemblable", en: "Implausible value"),
            "rejected": LocalizedText(ar: "رفض", fr: "Rejet", en: "Rejected"),
            "missing": LocalizedText(ar: "مفقود", fr: "Manquant", en: "Missing"),
            "neverSent": LocalizedText(ar: "مستلم دون إرسال", fr: "Reçu jamais émis", en: "Received, never sent"),
            "hashMismatch": LocalizedText(ar: "بصمة مختلفة", fr: "Empreinte différente", en: "Hash mismatch"),
            "late": LocalizedText(ar: "تأخر", fr: "Retard", en: "Late"),
            "pending": LocalizedText(ar: "قيد الانتظار", fr: "En attente", en: "Pending"),
            "unacknowledged": LocalizedText(ar: "دون إيصال", fr: "Sans accusé", en: "Unacknowledged"),
            "unreachable": LocalizedText(ar: "تعذّر الوصول", fr: "Injoignable", en: "Unreachable"),
            "notCollected": LocalizedText(ar: "لم تُجمع", fr: "Non collecté", en: "Not collected"),
            "accessRefused": LocalizedText(ar: "فتح نشرات مرفوض", fr: "Ouvertures refusées", en: "Refused openings"),
            "accessDropped": LocalizedText(ar: "سجلات وصول مُسقطة", fr: "Accès non journalisés", en: "Access records dropped"),
            "unknownKind": LocalizedText(ar: "قيود من نوع غير معروف", fr: "Entrées de type inconnu", en: "Entries of an unknown kind"),
            "attachmentMismatch": LocalizedText(ar: "مرفق مختلف بين السجلين", fr: "Pièce jointe discordante", en: "Attachment mismatch"),
            "attachmentNeverStored": LocalizedText(ar: "مرفق لم يُخزَّن لدى المنشأ", fr: "Pièce jointe jamais stockée", en: "Attachment never stored"),
            "attachmentNotReceived":
                LocalizedText(ar: "مرفق مؤكد دون استلام", fr: "Pièce jointe accusée non reçue", en: "Attachment acknowledged, not received"),
            "attachmentOverdue": LocalizedText(ar: "مرفق تجاوز المهلة", fr: "Pièce jointe hors délai", en: "Attachment overdue"),
            "attachmentRefused": LocalizedText(ar: "مرفق مرفوض", fr: "Pièce jointe refusée", en: "Attachment refused"),
            "attachmentUnacknowledged": LocalizedText(ar: "مرفق دون إيصال", fr: "Pièce jointe sans accusé", en: "Attachment unacknowledged"),
        ]
        return labels[kind]?[language] ?? kind
    }
}
