namespace CrosswalkWatch.Web.Accounts;

/// <summary>
/// The console's roles. Each page and API is for exactly one of them: a reviewer does not see the office's pages, the
/// office does not review, an admin manages accounts and reads the audit log but decides nothing.
/// </summary>
public static class Roles
{
    public const string Police = "police";

    public const string Office = "office";

    public const string Operator = "operator";

    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Police, Office, Operator, Admin];

    /// <summary>How a role is named on the pages.</summary>
    public static string Title(string role) => role switch
    {
        Police => "police reviewer",
        Office => "campaign office",
        Operator => "operator",
        Admin => "admin",
        _ => role,
    };

    /// <summary>Where a role's pages start.</summary>
    public static string Home(string role) => role switch
    {
        Police => "/review",
        Office => "/office",
        Operator => "/operator",
        Admin => "/admin",
        _ => "/signin",
    };

    public static bool IsRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
