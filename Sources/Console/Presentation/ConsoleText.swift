import BulletinSchema

/// Every word of the console's own interface in Arabic, French and English. Labels of bulletin
/// fields and values never come from here: they come from the schemas (`x-labels`,
/// `x-enum-labels`), so a page and `bordernet schema show` always say the same.
enum ConsoleText: String, CaseIterable {
    case appName, signIn, signOut, username, password, signInButton, signInRefused, lockedOut
    case feed, post, links, settings, newBulletin, received, sent, all, from, to, storedAt
    case filter, apply, incidentType, origin, tlp, workingGroup, handling, text, anyValue, noBulletins, older
    case bulletin, details, recipients, acknowledged, refusedByRecipient, pending, corrections, correctedBy, withdrawnBy
    case originalLanguage, forbidden, forbiddenExplanation, notFound, chooseType, submitPost, postRefused
    case fieldErrors, posted, language, digits, westernDigits, arabicDigits, save, required, advancedDetails
    case title, summary, occurredAt, reportedAt, location, country, region, latitude, longitude, precision
    case severity, sourceReliability, informationCredibility, reportKind, live, sessionExpired, csrfRefused
    case correct, withdraw, withdrawReason, chooseRecipients, nodeUnreachable, requestRefused
    case rosterVersion, rosterExpires, outgoing, incoming, sentCount, acknowledgedCount, oldestPending, subscribed, receivedCount
    case announcedCount, lastContact, replaying, rejections, yes, no
    case users, name, role, agency, enable, disable, resetPassword, addUser, oneTimePassword, userRefused
    case changePassword, mustChangePassword, currentPassword, newPassword, repeatPassword, passwordsDiffer, passwordRefused
    case security, securityKeys, securityKey, securityKeyStep, securityKeyExplanation, useKey, keyFailed, keyRefused, orRecoveryCode
    case recoveryCode, recoveryCodeRefused, backToPassword, keyName, added, lastUsed, never, removeKey, noKeys, addKey, keyNotRegistered
    case originRefused, recoveryCodes, codesLeft, newCodes, codesShownOnce, continueLink
    case yourPassword, confirmExplanation, passwordNotConfirmed, resetSecondFactor, resetSecondFactorExplanation, secondFactorWasReset
    case flaggedForReview

    var text: LocalizedText {
        switch self {
        case .appName: return LocalizedText(ar: "بوردرنت", fr: "BorderNet", en: "BorderNet")
        case .signIn: return LocalizedText(ar: "تسجيل الدخول", fr: "Connexion", en: "Sign in")
        case .signOut: return LocalizedText(ar: "تسجيل الخروج", fr: "Déconnexion", en: "Sign out")
        case .username: return LocalizedText(ar: "اسم المستخدم", fr: "Identifiant", en: "Username")
        case .password: return LocalizedText(ar: "كلمة المرور", fr: "Mot de passe", en: "Password")
        case .signInButton: return LocalizedText(ar: "دخول", fr: "Se connecter", en: "Sign in")
        case .signInRefused:
            return LocalizedText(ar: "اسم المستخدم أو كلمة المرور غير صحيحين.", fr: "Identifiant ou mot de passe incorrect.", en: "Wrong username or password.")
        case .lockedOut:
            return LocalizedText(
                ar: "أُوقف الدخول مؤقتًا بعد محاولات فاشلة متكررة؛ أعد المحاولة لاحقًا.",
                fr: "Connexion suspendue après des échecs répétés ; réessayez plus tard.",
                en: "Sign-in is suspended after repeated failures; try again later.")
        case .feed: return LocalizedText(ar: "النشرات", fr: "Bulletins", en: "Bulletins")
        case .post: return LocalizedText(ar: "نشر", fr: "Publier", en: "Post")
        case .links: return LocalizedText(ar: "الروابط", fr: "Liaisons", en: "Links")
        case .settings: return LocalizedText(ar: "الإعدادات", fr: "Préférences", en: "Settings")
        case .newBulletin: return LocalizedText(ar: "نشرة جديدة", fr: "Nouveau bulletin", en: "New bulletin")
        case .received: return LocalizedText(ar: "الواردة", fr: "Reçus", en: "Received")
        case .sent: return LocalizedText(ar: "الصادرة", fr: "Émis", en: "Sent")
        case .all: return LocalizedText(ar: "الكل", fr: "Tous", en: "All")
        case .from: return LocalizedText(ar: "من", fr: "De", en: "From")
        case .to: return LocalizedText(ar: "إلى", fr: "À", en: "To")
        case .storedAt: return LocalizedText(ar: "تاريخ الاستلام", fr: "Reçu le", en: "Stored")
        case .filter: return LocalizedText(ar: "تصفية", fr: "Filtrer", en: "Filter")
        case .apply: return LocalizedText(ar: "تطبيق", fr: "Appliquer", en: "Apply")
        case .incidentType: return LocalizedText(ar: "نوع الواقعة", fr: "Type d'incident", en: "Incident type")
        case .origin: return LocalizedText(ar: "دولة المنشأ", fr: "État d'origine", en: "Origin state")
        case .tlp: return LocalizedText(ar: "تصنيف التداول (TLP)", fr: "Marquage TLP", en: "TLP")
        case .workingGroup: return LocalizedText(ar: "فريق العمل", fr: "Groupe de travail", en: "Working group")
        case .handling: return LocalizedText(ar: "قيود التداول", fr: "Restrictions d'emploi", en: "Handling codes")
        case .text: return LocalizedText(ar: "نص", fr: "Texte", en: "Text")
        case .anyValue: return LocalizedText(ar: "الكل", fr: "Tous", en: "Any")
        case .noBulletins: return LocalizedText(ar: "لا توجد نشرات.", fr: "Aucun bulletin.", en: "No bulletins.")
        case .older: return LocalizedText(ar: "الأقدم", fr: "Plus anciens", en: "Older")
        case .bulletin: return LocalizedText(ar: "النشرة", fr: "Bulletin", en: "Bulletin")
        case .details: return LocalizedText(ar: "التفاصيل", fr: "Détails", en: "Details")
        case .recipients: return LocalizedText(ar: "المتلقون", fr: "Destinataires", en: "Recipients")
        case .acknowledged: return LocalizedText(ar: "تم الاستلام (إيصال موقّع)", fr: "Reçu (accusé signé)", en: "Acknowledged (signed receipt)")
        case .refusedByRecipient: return LocalizedText(ar: "رفضها المتلقي", fr: "Refusé par le destinataire", en: "Refused by the recipient")
        case .pending: return LocalizedText(ar: "قيد الإرسال", fr: "En cours d'envoi", en: "Pending")
        case .corrections: return LocalizedText(ar: "التصحيحات والسحب", fr: "Rectifications et retraits", en: "Corrections and withdrawals")
        case .correctedBy: return LocalizedText(ar: "صُحّحت بالنشرة", fr: "Rectifié par", en: "Corrected by")
        case .withdrawnBy: return LocalizedText(ar: "سُحبت بالنشرة", fr: "Retiré par", en: "Withdrawn by")
        case .originalLanguage: return LocalizedText(ar: "بلغته الأصلية", fr: "en langue d'origine", en: "original language")
        case .forbidden: return LocalizedText(ar: "غير مسموح", fr: "Accès refusé", en: "Not allowed")
        case .forbiddenExplanation:
            return LocalizedText(
                ar: "لا يسمح لك تصنيفك بالاطلاع على هذه الصفحة.", fr: "Votre habilitation ne permet pas d'ouvrir cette page.",
                en: "Your clearance does not let you open this page.")
        case .notFound: return LocalizedText(ar: "غير موجود", fr: "Introuvable", en: "Not found")
        case .chooseType: return LocalizedText(ar: "اختر نوع الواقعة", fr: "Choisissez le type d'incident", en: "Choose the incident type")
        case .submitPost: return LocalizedText(ar: "نشر النشرة", fr: "Publier le bulletin", en: "Post the bulletin")
        case .postRefused: return LocalizedText(ar: "رُفض النشر", fr: "Publication refusée", en: "Post refused")
        case .fieldErrors:
            return LocalizedText(
                ar: "صحّح الحقول المشار إليها؛ لم يُحفظ أو يُرسل شيء.", fr: "Corrigez les champs signalés ; rien n'a été enregistré ni envoyé.",
                en: "Correct the fields marked; nothing was stored or sent.")
        case .posted: return LocalizedText(ar: "نُشرت النشرة", fr: "Bulletin publié", en: "Bulletin posted")
        case .language: return LocalizedText(ar: "اللغة", fr: "Langue", en: "Language")
        case .digits: return LocalizedText(ar: "الأرقام", fr: "Chiffres", en: "Digits")
        case .westernDigits: return LocalizedText(ar: "أرقام غربية (0123)", fr: "Chiffres occidentaux (0123)", en: "Western digits (0123)")
        case .arabicDigits: return LocalizedText(ar: "أرقام عربية (٠١٢٣)", fr: "Chiffres arabes orientaux (٠١٢٣)", en: "Arabic-Indic digits (٠١٢٣)")
        case .save: return LocalizedText(ar: "حفظ", fr: "Enregistrer", en: "Save")
        case .required: return LocalizedText(ar: "إلزامي", fr: "obligatoire", en: "required")
        case .advancedDetails:
            return LocalizedText(
                ar: "حقول أخرى (JSON)", fr: "Autres champs (JSON)", en: "Other fields (JSON)")
        case .title: return LocalizedText(ar: "العنوان", fr: "Titre", en: "Title")
        case .summary: return LocalizedText(ar: "الملخص", fr: "Résumé", en: "Summary")
        case .occurredAt: return LocalizedText(ar: "تاريخ ووقت الواقعة", fr: "Date et heure des faits", en: "Occurred at")
        case .reportedAt: return LocalizedText(ar: "تاريخ ووقت الإبلاغ", fr: "Date et heure du signalement", en: "Reported at")
        case .location: return LocalizedText(ar: "المكان", fr: "Lieu", en: "Location")
        case .country: return LocalizedText(ar: "الدولة", fr: "Pays", en: "Country")
        case .region: return LocalizedText(ar: "الجهة / الولاية", fr: "Région / wilaya", en: "Region")
        case .latitude: return LocalizedText(ar: "خط العرض", fr: "Latitude", en: "Latitude")
        case .longitude: return LocalizedText(ar: "خط الطول", fr: "Longitude", en: "Longitude")
        case .precision: return LocalizedText(ar: "الدقة (بالأمتار)", fr: "Précision (mètres)", en: "Precision (metres)")
        case .severity: return LocalizedText(ar: "درجة الخطورة", fr: "Gravité", en: "Severity")
        case .sourceReliability: return LocalizedText(ar: "موثوقية المصدر", fr: "Fiabilité de la source", en: "Source reliability")
        case .informationCredibility: return LocalizedText(ar: "مصداقية المعلومة", fr: "Crédibilité de l'information", en: "Information credibility")
        case .reportKind: return LocalizedText(ar: "نوع التقرير", fr: "Nature du signalement", en: "Report kind")
        case .live: return LocalizedText(ar: "مباشر", fr: "En direct", en: "Live")
        case .sessionExpired:
            return LocalizedText(ar: "انتهت الجلسة؛ سجّل الدخول من جديد.", fr: "Session expirée ; reconnectez-vous.", en: "Your session ended; sign in again.")
        case .rosterVersion: return LocalizedText(ar: "إصدار القائمة", fr: "Version du registre", en: "Roster version")
        case .rosterExpires: return LocalizedText(ar: "تنتهي صلاحيتها", fr: "expire le", en: "expires")
        case .outgoing: return LocalizedText(ar: "الروابط الصادرة", fr: "Liaisons sortantes", en: "Outgoing links")
        case .incoming: return LocalizedText(ar: "الروابط الواردة", fr: "Liaisons entrantes", en: "Incoming links")
        case .sentCount: return LocalizedText(ar: "أُرسل", fr: "Envoyés", en: "Sent")
        case .acknowledgedCount: return LocalizedText(ar: "أُكّد استلامه", fr: "Acquittés", en: "Acknowledged")
        case .oldestPending: return LocalizedText(ar: "أقدم غير مؤكَّد", fr: "Plus ancien non acquitté", en: "Oldest unacknowledged")
        case .subscribed: return LocalizedText(ar: "مشترك", fr: "Abonné", en: "Subscribed")
        case .receivedCount: return LocalizedText(ar: "استُلم", fr: "Reçus", en: "Received")
        case .announcedCount: return LocalizedText(ar: "أعلنه المصدر", fr: "Annoncés", en: "Announced")
        case .lastContact: return LocalizedText(ar: "آخر اتصال", fr: "Dernier contact", en: "Last contact")
        case .replaying: return LocalizedText(ar: "إعادة إرسال جارية", fr: "Rattrapage en cours", en: "Replaying")
        case .rejections: return LocalizedText(ar: "الرفض حسب الطرف والسبب", fr: "Refus par pair et motif", en: "Refusals by peer and reason")
        case .yes: return LocalizedText(ar: "نعم", fr: "Oui", en: "Yes")
        case .no: return LocalizedText(ar: "لا", fr: "Non", en: "No")
        case .users: return LocalizedText(ar: "المستخدمون", fr: "Utilisateurs", en: "Users")
        case .name: return LocalizedText(ar: "الاسم", fr: "Nom", en: "Name")
        case .role: return LocalizedText(ar: "الدور", fr: "Rôle", en: "Role")
        case .agency: return LocalizedText(ar: "نوع الجهاز", fr: "Type de service", en: "Agency kind")
        case .enable: return LocalizedText(ar: "تفعيل", fr: "Activer", en: "Enable")
        case .disable: return LocalizedText(ar: "تعطيل", fr: "Désactiver", en: "Disable")
        case .resetPassword: return LocalizedText(ar: "كلمة مرور مؤقتة جديدة", fr: "Nouveau mot de passe provisoire", en: "New one-time password")
        case .addUser: return LocalizedText(ar: "إضافة مستخدم", fr: "Ajouter un utilisateur", en: "Add a user")
        case .oneTimePassword:
            return LocalizedText(
                ar: "كلمة المرور المؤقتة (تظهر مرة واحدة، وتُغيَّر عند أول دخول) للمستخدم", fr: "Mot de passe provisoire (affiché une seule fois, à changer à la première connexion) de",
                en: "One-time password (shown once, changed at first sign-in) of")
        case .userRefused: return LocalizedText(ar: "رُفض الطلب", fr: "Demande refusée", en: "Request refused")
        case .chooseRecipients:
            return LocalizedText(ar: "اختر دولة متلقية واحدة على الأقل.", fr: "Choisissez au moins un État destinataire.", en: "Choose at least one recipient state.")
        case .nodeUnreachable:
            return LocalizedText(
                ar: "تعذّر الاتصال بالعقدة؛ لم يُرسل شيء من هذه الصفحة. تحقّق من قائمة النشرات قبل إعادة المحاولة.",
                fr: "Le nœud ne répond pas ; rien n'a été envoyé depuis cette page. Vérifiez la liste des bulletins avant de réessayer.",
                en: "The node does not answer; nothing was sent from this page. Check the bulletins list before trying again.")
        case .requestRefused: return LocalizedText(ar: "رُفض الطلب", fr: "Requête refusée", en: "Request refused")
        case .correct: return LocalizedText(ar: "تصحيح", fr: "Rectifier", en: "Correct")
        case .withdraw: return LocalizedText(ar: "سحب النشرة", fr: "Retirer le bulletin", en: "Withdraw")
        case .withdrawReason:
            return LocalizedText(ar: "سبب السحب (يصل إلى المتلقين)", fr: "Motif du retrait (transmis aux destinataires)", en: "Reason for the withdrawal (sent to the recipients)")
        case .changePassword: return LocalizedText(ar: "تغيير كلمة المرور", fr: "Changer de mot de passe", en: "Change password")
        case .mustChangePassword:
            return LocalizedText(
                ar: "كلمة المرور الحالية مؤقتة: اختر كلمة مرور جديدة (12 حرفًا على الأقل) قبل المتابعة.",
                fr: "Votre mot de passe est provisoire : choisissez-en un nouveau (12 caractères au moins) avant de continuer.",
                en: "Your password is a one-time password: choose a new one (at least 12 characters) before going on.")
        case .currentPassword: return LocalizedText(ar: "كلمة المرور الحالية", fr: "Mot de passe actuel", en: "Current password")
        case .newPassword: return LocalizedText(ar: "كلمة المرور الجديدة", fr: "Nouveau mot de passe", en: "New password")
        case .repeatPassword: return LocalizedText(ar: "أعد كتابة كلمة المرور الجديدة", fr: "Répétez le nouveau mot de passe", en: "Repeat the new password")
        case .passwordsDiffer:
            return LocalizedText(ar: "كلمتا المرور الجديدتان غير متطابقتين.", fr: "Les deux nouveaux mots de passe diffèrent.", en: "The two new passwords differ.")
        case .passwordRefused:
            return LocalizedText(
                ar: "رُفضت كلمة المرور: تحقّق من كلمة المرور الحالية، ومن أن الجديدة لا تقل عن 12 حرفًا.",
                fr: "Mot de passe refusé : vérifiez le mot de passe actuel, et que le nouveau a au moins 12 caractères.",
                en: "Password refused: check the current password, and that the new one has at least 12 characters.")
        case .security: return LocalizedText(ar: "الأمان", fr: "Sécurité", en: "Security")
        case .securityKeys: return LocalizedText(ar: "مفاتيح الأمان", fr: "Clés de sécurité", en: "Security keys")
        case .securityKey: return LocalizedText(ar: "مفتاح أمان", fr: "Clé de sécurité", en: "Security key")
        case .securityKeyStep: return LocalizedText(ar: "التحقق بمفتاح الأمان", fr: "Vérification par clé de sécurité", en: "Security key check")
        case .securityKeyExplanation:
            return LocalizedText(
                ar: "كلمة المرور صحيحة. استعمل الآن مفتاح الأمان الخاص بك (أو بصمة الجهاز) لإتمام الدخول.",
                fr: "Mot de passe accepté. Utilisez maintenant votre clé de sécurité (ou l'authentification de l'appareil) pour terminer la connexion.",
                en: "Password accepted. Now use your security key (or this device's screen lock) to finish signing in.")
        case .useKey: return LocalizedText(ar: "استعمال مفتاح الأمان", fr: "Utiliser ma clé de sécurité", en: "Use my security key")
        case .keyFailed:
            return LocalizedText(
                ar: "لم يُستعمل المفتاح (أُلغي أو انتهت المهلة أو المتصفح لا يدعمه). أعد المحاولة.",
                fr: "La clé n'a pas été utilisée (annulé, délai dépassé ou navigateur incompatible). Réessayez.",
                en: "The key was not used (cancelled, timed out, or not supported by this browser). Try again.")
        case .keyRefused:
            return LocalizedText(
                ar: "رُفض مفتاح الأمان. أعد المحاولة بأحد مفاتيحك المسجّلة.", fr: "Clé de sécurité refusée. Réessayez avec une de vos clés enregistrées.",
                en: "Security key refused. Try again with one of your registered keys.")
        case .orRecoveryCode: return LocalizedText(ar: "أو رمز استرداد", fr: "Ou un code de secours", en: "Or a recovery code")
        case .recoveryCode: return LocalizedText(ar: "رمز الاسترداد", fr: "Code de secours", en: "Recovery code")
        case .recoveryCodeRefused:
            return LocalizedText(
                ar: "رمز الاسترداد غير صحيح أو سبق استعماله.", fr: "Code de secours incorrect ou déjà utilisé.",
                en: "Wrong or already used recovery code.")
        case .backToPassword: return LocalizedText(ar: "العودة إلى كلمة المرور", fr: "Revenir au mot de passe", en: "Back to the password")
        case .keyName: return LocalizedText(ar: "اسم المفتاح", fr: "Nom de la clé", en: "Key name")
        case .added: return LocalizedText(ar: "أُضيف في", fr: "Ajoutée le", en: "Added")
        case .lastUsed: return LocalizedText(ar: "آخر استعمال", fr: "Dernière utilisation", en: "Last used")
        case .never: return LocalizedText(ar: "أبدًا", fr: "jamais", en: "never")
        case .removeKey: return LocalizedText(ar: "إزالة", fr: "Retirer", en: "Remove")
        case .noKeys:
            return LocalizedText(
                ar: "لا يوجد مفتاح أمان مسجّل: الدخول بكلمة المرور وحدها.", fr: "Aucune clé de sécurité : la connexion se fait par mot de passe seul.",
                en: "No security key: sign-in takes the password alone.")
        case .addKey: return LocalizedText(ar: "تسجيل مفتاح أمان", fr: "Enregistrer une clé de sécurité", en: "Register a security key")
        case .keyNotRegistered:
            return LocalizedText(
                ar: "لم يُسجَّل المفتاح. أعد تحميل الصفحة وحاول مجددًا.", fr: "La clé n'a pas été enregistrée. Rechargez la page et réessayez.",
                en: "The key was not registered. Reload the page and try again.")
        case .originRefused:
            return LocalizedText(
                ar: "لا يمكن استعمال مفاتيح الأمان من هذا العنوان: افتح وحدة التحكم من عنوانها المعتمد.",
                fr: "Les clés de sécurité ne peuvent pas être utilisées depuis cette adresse : ouvrez la console à son adresse configurée.",
                en: "Security keys cannot be used from this address: open the console at its configured address.")
        case .recoveryCodes: return LocalizedText(ar: "رموز الاسترداد", fr: "Codes de secours", en: "Recovery codes")
        case .codesLeft: return LocalizedText(ar: "الرموز غير المستعملة:", fr: "Codes non utilisés :", en: "Unused codes:")
        case .newCodes: return LocalizedText(ar: "إنشاء رموز جديدة", fr: "Générer de nouveaux codes", en: "Make new codes")
        case .codesShownOnce:
            return LocalizedText(
                ar: "احفظ هذه الرموز في مكان آمن: لن تُعرض مرة أخرى. كل رمز يُستعمل مرة واحدة بدل مفتاح الأمان، والرموز السابقة لم تعد صالحة.",
                fr: "Conservez ces codes en lieu sûr : ils ne seront plus affichés. Chacun remplace une fois la clé de sécurité ; les anciens codes ne valent plus.",
                en: "Keep these codes somewhere safe: they will not be shown again. Each replaces the security key once; earlier codes no longer work.")
        case .continueLink: return LocalizedText(ar: "متابعة", fr: "Continuer", en: "Continue")
        case .yourPassword: return LocalizedText(ar: "كلمة مرورك", fr: "Votre mot de passe", en: "Your password")
        case .confirmExplanation:
            return LocalizedText(
                ar: "إزالة مفتاح أو إنشاء رموز جديدة يتطلب كلمة مرورك مرة أخرى.",
                fr: "Retirer une clé ou générer de nouveaux codes demande à nouveau votre mot de passe.",
                en: "Removing a key or making new codes asks for your password again.")
        case .passwordNotConfirmed:
            return LocalizedText(
                ar: "كلمة المرور غير صحيحة: لم يُغيَّر شيء.", fr: "Mot de passe incorrect : rien n'a été modifié.",
                en: "Wrong password: nothing was changed.")
        case .resetSecondFactor:
            return LocalizedText(ar: "إزالة مفاتيح الأمان", fr: "Réinitialiser les clés de sécurité", en: "Reset security keys")
        case .resetSecondFactorExplanation:
            return LocalizedText(
                ar: "لمن فقد مفتاحه: تُزال مفاتيحه ورموز الاسترداد وتنتهي جلساته، ثم يدخل بكلمة مروره وحدها. يتطلب كلمة مرورك.",
                fr: "Pour une personne qui a perdu sa clé : ses clés et codes de secours sont supprimés et ses sessions fermées ; elle se connecte ensuite avec son seul mot de passe. Demande votre mot de passe.",
                en: "For a person who lost their key: their keys and recovery codes are removed and their sessions end; they then sign in with their password alone. Asks for your password.")
        case .secondFactorWasReset:
            return LocalizedText(
                ar: "أُزيلت مفاتيح الأمان ورموز الاسترداد وانتهت الجلسات للمستخدم:",
                fr: "Clés de sécurité et codes de secours supprimés, sessions fermées, pour :",
                en: "Security keys and recovery codes removed, sessions ended, for:")
        case .csrfRefused:
            return LocalizedText(
                ar: "رُفض الطلب: انتهت صلاحية النموذج. أعد تحميل الصفحة.", fr: "Requête refusée : le formulaire a expiré. Rechargez la page.",
                en: "Request refused: the form expired. Reload the page.")
        case .flaggedForReview: return LocalizedText(ar: "للمراجعة", fr: "à vérifier", en: "flagged for review")
        }
    }

    /// The banner of a bulletin flagged because its origin's keys were revoked (``BulletinFlag``):
    /// the words of `bordernet feed`, with `since` (the compromise time) already formatted as the
    /// console shows times, and the roster that revoked the keys.
    static func revokedKeyFlag(origin: String, since: String, rosterVersion: UInt64) -> LocalizedText {
        // In the Arabic sentence the Latin state code and the time are isolated (FSI … PDI), so
        // that the right-to-left text does not reorder them; the escaping leaves them as they are.
        let isolated = { (text: String) in "\u{2068}\(text)\u{2069}" }
        return LocalizedText(
            ar: "للمراجعة: أُلغيت مفاتيح \(isolated(origin)) منذ \(isolated(since)) (القائمة \(rosterVersion))؛ تحقّقوا من هذه النشرة مع \(isolated(origin))",
            fr: "À VÉRIFIER : les clés de \(origin) sont révoquées depuis \(since) (liste \(rosterVersion)) ; vérifiez ce bulletin auprès de \(origin)",
            en: "FLAGGED FOR REVIEW: \(origin)'s keys were revoked from \(since) (roster \(rosterVersion)); check this bulletin with \(origin)")
    }

    /// The text in `language`.
    func callAsFunction(_ language: Language) -> String { text[language] }

    /// Every text of the interface in `language`, keyed by case name, for templates (`{{t.signIn}}`).
    static func table(_ language: Language) -> [String: String] {
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0(language)) })
    }
}
