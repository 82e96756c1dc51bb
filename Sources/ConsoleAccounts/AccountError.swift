import Foundation
import Store

/// Why an account operation could not be done, and what to do about it.
public enum AccountError: Error, CustomStringConvertible {
    /// The console's folder could not be created or made private (mode 0700).
    case cannotPrepareFolder(path: String, reason: String)
    /// The folder given is a node's data folder (it holds `keys/` or `node.toml`): the console
    /// keeps its accounts apart from the node's keys.
    case nodeDataFolder(path: String)
    /// `console.sqlite` could not be opened, read or written; the cause says why.
    case storage(StoreError)
    /// A username that breaks `rule`.
    case invalidUsername(String, rule: String)
    /// Another account already has this username.
    case usernameTaken(String)
    /// A field of a new account that breaks `rule`.
    case invalidField(field: String, value: String, rule: String)
    /// A password shorter than the policy's minimum (in characters).
    case passwordTooShort(minimumCharacters: Int)
    /// A password longer than `PasswordHash.maximumPasswordByteCount` UTF-8 bytes.
    case passwordTooLong(maximumBytes: Int)
    /// The password could not be hashed (argon2id could not get its memory).
    case passwordHashingFailed(reason: String)
    /// No account has this number.
    case noSuchUser(id: Int64)
    /// No account has this username.
    case noSuchUsername(String)
    /// The account is disabled: no session is created for it.
    case userDisabled(username: String)
    /// This security key (credential id) is already registered, to this account or another.
    case securityKeyAlreadyRegistered
    /// The account already has the most security keys allowed.
    case tooManySecurityKeys(limit: Int)
    /// The sign-in waiting for its second factor has expired, ended or never existed.
    case secondFactorExpired
    /// The password confirmation given is too old (or from the future): ask for the password again.
    case passwordConfirmationExpired
    /// An agency name that breaks `rule`.
    case invalidAgencyName(String, rule: String)
    /// An agency of this name exists already (perhaps revoked: names are never reused, so the
    /// audit log's agency numbers stay unambiguous).
    case agencyNameTaken(String)
    /// No agency has this name.
    case noSuchAgency(String)
    /// The agency was revoked: revocation is final.
    case agencyRevoked(String)
    /// An agency token's expiry that is not after now, or further than `longest` seconds away.
    case invalidAgencyExpiry(Date, longest: TimeInterval)
    /// As many agencies as allowed are not revoked.
    case tooManyAgencies(limit: Int)

    /// What went wrong and what to do, for an operator.
    public var description: String {
        switch self {
        case .cannotPrepareFolder(let path, let reason):
            "cannot prepare the console's folder \(path) (mode 0700): \(reason). Create it, owned by the console's user, or give --console-data another folder"
        case .nodeDataFolder(let path):
            "\(path) is a node's data folder (it holds keys/ or node.toml): the console keeps its accounts in a folder of its own, e.g. /var/lib/bordernet-console, so that the web side never sits beside the node's keys"
        case .storage(let error):
            "\(error)"
        case .invalidUsername(let name, let rule):
            "the username '\(name)' is not valid: \(rule)"
        case .usernameTaken(let name):
            "an account named '\(name)' already exists: choose another username, or change that account's password with `bordernet console user password`"
        case .invalidField(let field, let value, let rule):
            "the \(field) '\(value)' is not valid: \(rule)"
        case .passwordTooShort(let minimum):
            "the password is too short: at least \(minimum) characters (a passphrase of several words is easiest to remember)"
        case .passwordTooLong(let maximum):
            "the password is longer than \(maximum) bytes: choose a shorter one"
        case .passwordHashingFailed(let reason):
            "the password could not be hashed: \(reason)"
        case .noSuchUser(let id):
            "no console account has number \(id): `bordernet console user list` shows them"
        case .noSuchUsername(let name):
            "no console account is named '\(name)': `bordernet console user list` shows them"
        case .userDisabled(let name):
            "the account '\(name)' is disabled: enable it before signing in"
        case .securityKeyAlreadyRegistered:
            "this security key is already registered"
        case .tooManySecurityKeys(let limit):
            "an account may register at most \(limit) security keys: remove one first"
        case .secondFactorExpired:
            "the sign-in waited too long for its security key or recovery code: sign in again"
        case .passwordConfirmationExpired:
            "the password was confirmed too long ago for this change: type it again"
        case .invalidAgencyName(let name, let rule):
            "the agency name '\(name)' is not valid: \(rule)"
        case .agencyNameTaken(let name):
            "an agency named '\(name)' exists already (revoked agencies keep their names, so that the audit log's agency numbers stay unambiguous): choose another name, or give it a new token with `bordernet console agency renew \(name)`"
        case .noSuchAgency(let name):
            "no agency is named '\(name)': `bordernet console agency list` shows them"
        case .agencyRevoked(let name):
            "the agency '\(name)' was revoked, and revocation is final: add it again under a new name with `bordernet console agency add`"
        case .invalidAgencyExpiry(let date, let longest):
            "the expiry \(date.formatted(.iso8601)) is not valid: it must be after now and at most \(Int(longest / 86_400)) days away (e.g. --expires 90d)"
        case .tooManyAgencies(let limit):
            "at most \(limit) agencies may hold a token that is not revoked: revoke those no longer used (`bordernet console agency list` shows them)"
        }
    }
}
