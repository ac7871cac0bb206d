using Omnichat.Core.Access;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Admin;

/// <summary>The console's names for roles, permissions and API key scopes: ru/en for the built-in ones, the stored name for the rest.</summary>
public static class AdminNames
{
    /// <summary>A built-in role's name in the interface language; a custom role's own name.</summary>
    public static string Role(string role) => UiText.Find("role." + role) ?? role;

    public static string Permission(string permission) => UiText.Find("perm." + permission) ?? permission;

    /// <summary>What the permission allows, in the interface language (the server's English description otherwise).</summary>
    /// <summary>Permissions for people, in the catalogue's order.</summary>
    public static string PermissionList(IEnumerable<string> permissions)
    {
        var set = permissions.ToHashSet(StringComparer.Ordinal);
        return string.Join(", ", Permissions.All.Where(set.Contains).Concat(set.Where(p => !Permissions.Described.ContainsKey(p))).Select(Permission));
    }

    public static string PermissionHint(string permission) =>
        UiText.Find("perm." + permission + ".hint") ?? Permissions.Described.GetValueOrDefault(permission) ?? "";

    public static string ApiScope(string scope) => UiText.Find("apiscope." + scope) ?? scope;

    /// <summary>A value usable in an element id (permissions and scopes carry '.' and ':', which CSS selectors read otherwise).</summary>
    public static string IdOf(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));

    /// <summary>A moment in the server's time zone (as the workstation shows times), "—" for none.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.ToLocalTime().ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "—";

    /// <summary>Built-in roles first in their fixed order, then custom ones by name.</summary>
    public static IEnumerable<RoleView> Ordered(IEnumerable<RoleView> roles) => roles.OrderBy(Rank).ThenBy(r => r.Name, StringComparer.Ordinal);

    private static int Rank(RoleView role)
    {
        var builtIn = role.BuiltIn ? BuiltInOrder.IndexOf(role.Name) : -1;
        return builtIn < 0 ? int.MaxValue : builtIn;
    }

    private static readonly List<string> BuiltInOrder = [.. Core.Operators.StaffRoles.All];
}
