using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>
/// The named permissions roles are composed of (PRODUCT S1). Every endpoint, hub method and page requires one
/// (or one of several); built-in roles have fixed sets, custom roles any combination.
/// </summary>
public static class Permissions
{
    public const string ManageUsers = "users.manage";
    public const string ManageRoles = "roles.manage";
    public const string ManageChannels = "channels.manage";
    public const string ManageGroups = "groups.manage";
    public const string ManageTemplates = "templates.manage";
    public const string ManageRouting = "routing.manage";
    public const string ManageIntegrations = "integrations.manage";
    public const string HandleConversations = "conversations.handle";
    public const string ViewConversations = "conversations.view";
    public const string SuperviseConversations = "conversations.supervise";
    public const string Reassign = "conversations.reassign";
    public const string MergeClients = "clients.merge";
    public const string ViewReports = "reports.view";
    public const string Export = "reports.export";
    public const string ViewAudit = "audit.view";

    /// <summary>Every permission with a short description (the admin console shows them; ru/en names live in the UI).</summary>
    public static IReadOnlyDictionary<string, string> Described { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ManageUsers] = "Create, change and disable staff accounts; set their roles and visibility scope.",
        [ManageRoles] = "Create and change custom roles.",
        [ManageChannels] = "Set up channels (website, messengers, API) and their credentials.",
        [ManageGroups] = "Manage skill groups, branches and regions.",
        [ManageTemplates] = "Manage global and group reply templates.",
        [ManageRouting] = "Manage routing rules and not-ready reasons.",
        [ManageIntegrations] = "Manage API keys and mail settings.",
        [HandleConversations] = "Work in the workstation: take, answer and close own conversations.",
        [ViewConversations] = "Read every conversation within the visibility scope.",
        [SuperviseConversations] = "Answer, close and take over any conversation within the scope.",
        [Reassign] = "Transfer conversations of others, over capacity if need be.",
        [MergeClients] = "Merge and split client records.",
        [ViewReports] = "See dashboards and reports of the scope.",
        [Export] = "Export reports and conversations.",
        [ViewAudit] = "Search the audit log.",
    };

    public static IReadOnlyList<string> All { get; } = [.. Described.Keys];

    /// <summary>The fixed permission sets of the built-in roles.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> BuiltIn { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [StaffRoles.Administrator] = All,
        [StaffRoles.Supervisor] =
        [
            HandleConversations, ViewConversations, SuperviseConversations, Reassign, MergeClients, ManageTemplates, ViewReports, Export,
        ],
        [StaffRoles.Operator] = [HandleConversations],
        [StaffRoles.Analyst] = [ViewConversations, ViewReports, Export],
    };

    public static bool IsBuiltInRole(string role) => BuiltIn.ContainsKey(role);

    /// <summary>The claim type of a permission on a custom role (ASP.NET Core Identity role claims).</summary>
    public const string ClaimType = "omnichat:permission";
}

/// <summary>
/// Authorization policy names for endpoints, hubs and pages: <c>perm:a|b</c> passes with permission a or b
/// (resolved by the server's permission handler from the database on every check).
/// </summary>
public static class PermissionPolicy
{
    public const string Prefix = "perm:";
    public const string Users = Prefix + Permissions.ManageUsers;
    public const string Roles = Prefix + Permissions.ManageRoles;
    public const string Channels = Prefix + Permissions.ManageChannels;
    public const string Groups = Prefix + Permissions.ManageGroups;
    public const string Routing = Prefix + Permissions.ManageRouting;
    public const string Integrations = Prefix + Permissions.ManageIntegrations;
    public const string Audit = Prefix + Permissions.ViewAudit;

    /// <summary>The workstation: people who work on or read conversations.</summary>
    public const string Workstation = Prefix + Permissions.HandleConversations + "|" + Permissions.ViewConversations + "|" + Permissions.SuperviseConversations;

    /// <summary>The reply templates page.</summary>
    public const string Templates = Prefix + Permissions.HandleConversations + "|" + Permissions.ManageTemplates;

    /// <summary>Any part of the administration console.</summary>
    public const string Console = Prefix + Permissions.ManageUsers + "|" + Permissions.ManageRoles + "|" + Permissions.ManageChannels + "|"
                                  + Permissions.ManageGroups + "|" + Permissions.ManageRouting + "|" + Permissions.ManageIntegrations + "|" + Permissions.ViewAudit;

    /// <summary>Historical reports and the analysts' conversation list.</summary>
    public const string Reports = Prefix + Permissions.ViewReports;

    /// <summary>The live dashboard: analysts and supervisors.</summary>
    public const string Dashboard = Prefix + Permissions.ViewReports + "|" + Permissions.SuperviseConversations;

    /// <summary>Exports and scheduled reports.</summary>
    public const string Exports = Prefix + Permissions.Export;

    /// <summary>One's own account pages (sessions, two-factor): people, never API keys.</summary>
    public const string Account = "account";
}
