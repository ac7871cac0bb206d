using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Access;

/// <summary>
/// The authorization matrix, generated from the server's own endpoint list: every endpoint is classified (a new one
/// fails this test until it is added to <see cref="Expected"/>), every staff endpoint × every kind of caller is called
/// and must be allowed or denied as its permission says, and every read of a team-B object by team-A people is 404.
/// </summary>
public abstract class AuthorizationMatrixTests(DatabaseProvider provider) : ApiTestBase(provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What every endpoint requires: anonymous, client (widget token), account (a signed-in person) or perm:a|b.</summary>
    private static readonly string Expected = Lines.Table;

    /// <summary>Permissions of each caller of the world (built-in roles as defined, custom roles and keys as created).</summary>
    private static readonly Dictionary<string, string[]> Grants = new()
    {
        ["admin"] = [.. Permissions.All],
        ["supa"] = [.. Permissions.BuiltIn["supervisor"]],
        ["operator"] = [.. Permissions.BuiltIn["operator"]],
        ["operatorB"] = [.. Permissions.BuiltIn["operator"]],
        ["ana"] = [.. Permissions.BuiltIn["analyst"]],
        ["usermgr"] = ["users.manage", "conversations.handle"],
        ["rep"] = ["reports.view"],
        ["key-read"] = ["conversations.view"],
        ["key-channels"] = ["channels.manage"],
        ["client"] = [],
        ["anonymous"] = [],
    };

    private static readonly string[] Keys = ["key-read", "key-channels"];

    [Fact]
    public void Every_endpoint_is_classified_and_requires_what_the_table_says()
    {
        var actual = Describe(Endpoints());
        Assert.True(Expected.Trim() == actual.Trim(), "The endpoint list changed; classify the new endpoints in Lines.Table:\n" + actual);
    }

    [Fact]
    public async Task Every_staff_endpoint_allows_exactly_the_callers_with_its_permission_and_reads_of_another_team_are_404()
    {
        var world = await AccessWorld.CreateAsync(App);
        var failures = new List<string>();
        var calls = 0;
        foreach (var (method, pattern, policy) in Endpoints().Select(Classify).Where(e => e.Policy.StartsWith("perm:", StringComparison.Ordinal) || e.Policy == "account"))
        {
            if (pattern == "/hubs/staff" || pattern.Contains("sign-out", StringComparison.Ordinal) || (pattern.StartsWith("/api/v1/account/sessions/", StringComparison.Ordinal) && method == "DELETE"))
            {
                continue; // would end the caller's own sessions; AccountSecurityTests covers them
            }

            foreach (var (who, http) in world.People)
            {
                var allowed = policy == "account"
                    ? who is not ("client" or "anonymous") && !Keys.Contains(who)
                    : policy["perm:".Length..].Split('|').Any(p => Grants[who].Contains(p));
                using var answer = await SendAsync(http, method == "ANY" ? "POST" : method, Fill(pattern, world, inScope: true));
                var status = answer.StatusCode;
                calls++;
                // Browser endpoints deny by sending the person to the sign-in page.
                var denied = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                             || (status == HttpStatusCode.Redirect && answer.Headers.Location?.OriginalString.Contains("/account/login", StringComparison.Ordinal) == true);
                if (allowed == denied || status == HttpStatusCode.InternalServerError)
                {
                    failures.Add($"{who,-12} {method,-6} {pattern} → {(int)status} (expected {(allowed ? "allowed" : "denied")})");
                }

                if (allowed && method == "GET" && ScopedRead(pattern) && who is "supa" or "ana" or "operator" or "key-read" or "usermgr")
                {
                    using var response = await SendAsync(http, method, Fill(pattern, world, inScope: false));
                    calls++;
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden) || body.Contains("Bravo", StringComparison.Ordinal))
                    {
                        failures.Add($"{who,-12} {method,-6} {pattern} with team B's object → {(int)response.StatusCode} (expected 404, nothing leaked)");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls broke the matrix:\n" + string.Join('\n', failures));
        Assert.True(calls > 500, "the matrix made " + calls + " calls");
    }

    /// <summary>GET endpoints that read one object of a team (conversation, its parts, a group's queue, an operator).</summary>
    private static bool ScopedRead(string pattern) =>
        pattern.StartsWith("/api/v1/conversations/{id", StringComparison.Ordinal) || pattern == "/api/v1/skill-groups/{id:guid}/queue"
        || pattern == "/api/v1/operators/{id:guid}";

    private static string Fill(string pattern, AccessWorld w, bool inScope)
    {
        var conversation = inScope ? w.ConversationA : w.ConversationB;
        var id = pattern switch
        {
            _ when pattern.StartsWith("/api/v1/conversations/", StringComparison.Ordinal) => conversation,
            _ when pattern.StartsWith("/api/v1/skill-groups/", StringComparison.Ordinal) => inScope ? w.GroupA : w.GroupB,
            _ when pattern.StartsWith("/api/v1/channels/", StringComparison.Ordinal) => w.ChannelA,
            _ when pattern.StartsWith("/api/v1/operators/", StringComparison.Ordinal) => inScope ? w.Ids["victim"] : w.OperatorB,
            _ when pattern.StartsWith("/api/v1/roles/", StringComparison.Ordinal) => w.Ids["spare-role"],
            _ when pattern.StartsWith("/api/v1/api-keys/", StringComparison.Ordinal) => w.Ids["spare-key"],
            _ => Guid.NewGuid(),
        };
        return pattern.Replace("{id:guid}", id.ToString(), StringComparison.Ordinal)
            .Replace("{earlierId:guid}", conversation.ToString(), StringComparison.Ordinal)
            .Replace("{code}", "break", StringComparison.Ordinal)
            .Replace("{report}", "summary", StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string url)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT")
        {
            // An empty object: allowed callers get a validation answer (or a conflict), nothing is created.
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return http.SendAsync(request, Ct);
    }

    private IEnumerable<RouteEndpoint> Endpoints() =>
        App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw
                        && !e.Metadata.OfType<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>().Any()
                        && !raw.Contains("_framework", StringComparison.Ordinal) && !raw.Contains("_content", StringComparison.Ordinal)
                        && !raw.Contains('.', StringComparison.Ordinal) && !raw.StartsWith("/_", StringComparison.Ordinal));

    private static (string Method, string Pattern, string Policy) Classify(RouteEndpoint e)
    {
        var policies = e.Metadata.OfType<IAuthorizeData>().Select(a => a.Policy ?? "authenticated").Distinct().ToList();
        var policy = e.Metadata.OfType<IAllowAnonymous>().Any() || policies.Count == 0 ? "anonymous"
            : policies.Count == 1 ? policies[0]
            : string.Join(" + ", policies.Order(StringComparer.Ordinal));
        var pattern = "/" + e.RoutePattern.RawText!.TrimStart('/');
        var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? string.Join(",", m) : "ANY";
        return (methods, pattern.Length > 1 ? pattern.TrimEnd('/') : pattern, policy);
    }

    private static string Describe(IEnumerable<RouteEndpoint> endpoints) =>
        string.Join('\n', endpoints.Select(Classify).Select(e => $"{e.Method} {e.Pattern} => {e.Policy}").Distinct().Order(StringComparer.Ordinal));
}

public sealed class SqliteAuthorizationMatrixTests() : AuthorizationMatrixTests(DatabaseProvider.Sqlite);

public sealed class PostgresAuthorizationMatrixTests() : AuthorizationMatrixTests(DatabaseProvider.Postgres);

/// <summary>The classified endpoint list (kept in its own class so the table reads as one block).</summary>
internal static class Lines
{
    public const string Table = """
ANY /health/live => anonymous
ANY /health/ready => anonymous
ANY /hubs/client => client
ANY /hubs/client/negotiate => client
ANY /hubs/staff => perm:conversations.handle|conversations.view|conversations.supervise
ANY /hubs/staff/negotiate => perm:conversations.handle|conversations.view|conversations.supervise
DELETE /api/client/v1/push-token => client
DELETE /api/v1/account/sessions/{id:guid} => account
DELETE /api/v1/api-keys/{id:guid} => perm:integrations.manage
DELETE /api/v1/operators/{id:guid}/two-factor => perm:users.manage
DELETE /api/v1/report-schedules/{id:guid} => perm:reports.export
DELETE /api/v1/roles/{id:guid} => perm:roles.manage
DELETE /api/v1/routing-rules/{id:guid} => perm:routing.manage
DELETE /api/v1/templates/{id:guid} => perm:conversations.handle|templates.manage
DELETE /api/v1/templates/{id:guid}/favourite => perm:conversations.handle|templates.manage
GET /account/sso => anonymous
GET /account/sso/complete => anonymous
GET /api-docs/{documentName?} => anonymous
GET /api/client/v1/channels/{key}/availability => anonymous
GET /api/client/v1/channels/{key}/config => anonymous
GET /api/client/v1/files/{id:guid} => client
GET /api/client/v1/files/{id:guid}/preview => client
GET /api/client/v1/messages => client
GET /api/v1/account/sessions => account
GET /api/v1/account/two-factor => account
GET /api/v1/api-keys => perm:integrations.manage
GET /api/v1/audit => perm:audit.view
GET /api/v1/branches => perm:groups.manage
GET /api/v1/branches/{id:guid} => perm:groups.manage
GET /api/v1/channels => perm:channels.manage
GET /api/v1/channels/{id:guid} => perm:channels.manage
GET /api/v1/clients/{id:guid}/audit => perm:clients.merge|audit.view
GET /api/v1/conversations => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid} => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid}/client => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid}/client/matches => perm:conversations.handle|conversations.supervise|clients.merge
GET /api/v1/conversations/{id:guid}/deliveries => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid}/history => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid}/history/{earlierId:guid}/messages => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid}/messages => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/conversations/{id:guid}/messages/latest => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/exports => perm:reports.export
GET /api/v1/exports/{id:guid} => perm:reports.export
GET /api/v1/exports/{id:guid}/file => perm:reports.export
GET /api/v1/files/{id:guid} => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/files/{id:guid}/preview => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/mail/outgoing => perm:integrations.manage
GET /api/v1/mail/settings => perm:integrations.manage
GET /api/v1/operators => perm:users.manage
GET /api/v1/operators/me/notifications => perm:conversations.handle
GET /api/v1/operators/{id:guid} => perm:users.manage
GET /api/v1/permissions => perm:roles.manage|users.manage
GET /api/v1/regions => perm:groups.manage
GET /api/v1/regions/{id:guid} => perm:groups.manage
GET /api/v1/report-schedules => perm:reports.export
GET /api/v1/reports/live => perm:reports.view|conversations.supervise
GET /api/v1/reports/{report} => perm:reports.view
GET /api/v1/roles => perm:roles.manage|users.manage
GET /api/v1/roles/{id:guid} => perm:roles.manage|users.manage
GET /api/v1/routing-rules => perm:routing.manage
GET /api/v1/routing/targets => perm:conversations.handle|conversations.reassign|conversations.supervise
GET /api/v1/skill-groups => perm:groups.manage
GET /api/v1/skill-groups/{id:guid} => perm:groups.manage
GET /api/v1/skill-groups/{id:guid}/queue => perm:conversations.handle|conversations.view|conversations.supervise
GET /api/v1/status-reasons => perm:conversations.handle|routing.manage
GET /api/v1/templates => perm:conversations.handle|templates.manage
GET /culture => anonymous
GET /public/files/{token}/{name} => anonymous
GET /reports/exports/{id:guid}/file => perm:reports.export
GET /widget/{file} => anonymous
GET /workstation/files/{id:guid} => perm:conversations.handle|conversations.view|conversations.supervise
GET /workstation/files/{id:guid}/preview => perm:conversations.handle|conversations.view|conversations.supervise
GET,HEAD /{**path:file} => anonymous
POST /account/logout => anonymous
POST /api/client/v1/conversation/end => client
POST /api/client/v1/files => client
POST /api/client/v1/messages => client
POST /api/client/v1/rating => client
POST /api/client/v1/sessions => anonymous
POST /api/client/v1/transcript => client
POST /api/v1/account/sessions/sign-out-everywhere => account
POST /api/v1/account/two-factor/confirm => account
POST /api/v1/account/two-factor/disable => account
POST /api/v1/account/two-factor/enrol => account
POST /api/v1/account/two-factor/recovery-codes => account
POST /api/v1/api-keys => perm:integrations.manage
POST /api/v1/auth/password-reset => anonymous
POST /api/v1/auth/password-reset/confirm => anonymous
POST /api/v1/auth/token => anonymous
POST /api/v1/branches => perm:groups.manage
POST /api/v1/channels => perm:channels.manage
POST /api/v1/channels/{id:guid}/rotate-secret => perm:channels.manage
POST /api/v1/channels/{id:guid}/test => perm:channels.manage
POST /api/v1/channels/{id:guid}/webhook => perm:channels.manage
POST /api/v1/conversations/{id:guid}/accept => perm:conversations.handle
POST /api/v1/conversations/{id:guid}/client/merge => perm:conversations.handle|conversations.supervise|clients.merge
POST /api/v1/conversations/{id:guid}/client/split => perm:conversations.handle|conversations.supervise|clients.merge
POST /api/v1/conversations/{id:guid}/close => perm:conversations.handle|conversations.supervise
POST /api/v1/conversations/{id:guid}/decline => perm:conversations.handle
POST /api/v1/conversations/{id:guid}/files => perm:conversations.handle|conversations.supervise
POST /api/v1/conversations/{id:guid}/messages => perm:conversations.handle|conversations.supervise
POST /api/v1/conversations/{id:guid}/pick => perm:conversations.handle
POST /api/v1/conversations/{id:guid}/read => perm:conversations.handle|conversations.supervise
POST /api/v1/conversations/{id:guid}/take-over => perm:conversations.supervise
POST /api/v1/conversations/{id:guid}/transcript => perm:conversations.handle|conversations.supervise
POST /api/v1/conversations/{id:guid}/transfer => perm:conversations.handle|conversations.reassign|conversations.supervise
POST /api/v1/exports => perm:reports.export
POST /api/v1/mail/outgoing/{id:guid}/retry => perm:integrations.manage
POST /api/v1/mail/test => perm:integrations.manage
POST /api/v1/operators => perm:users.manage
POST /api/v1/operators/me/wrap-up/end => perm:conversations.handle
POST /api/v1/operators/{id:guid}/sign-out => perm:users.manage
POST /api/v1/regions => perm:groups.manage
POST /api/v1/report-schedules => perm:reports.export
POST /api/v1/reports/rebuild => perm:integrations.manage
POST /api/v1/roles => perm:roles.manage
POST /api/v1/routing-rules => perm:routing.manage
POST /api/v1/skill-groups => perm:groups.manage
POST /api/v1/templates => perm:conversations.handle|templates.manage
POST /api/v1/templates/{id:guid}/use => perm:conversations.handle|templates.manage
POST /webhooks/{kind}/{channelId:guid} => anonymous
PUT /api/client/v1/push-token => client
PUT /api/v1/branches/{id:guid} => perm:groups.manage
PUT /api/v1/channels/{id:guid} => perm:channels.manage
PUT /api/v1/conversations/{id:guid}/client => perm:conversations.handle|conversations.supervise
PUT /api/v1/conversations/{id:guid}/tags => perm:conversations.handle|conversations.supervise
PUT /api/v1/mail/settings => perm:integrations.manage
PUT /api/v1/operators/me/notifications => perm:conversations.handle
PUT /api/v1/operators/me/status => perm:conversations.handle
PUT /api/v1/operators/{id:guid} => perm:users.manage
PUT /api/v1/regions/{id:guid} => perm:groups.manage
PUT /api/v1/report-schedules/{id:guid} => perm:reports.export
PUT /api/v1/roles/{id:guid} => perm:roles.manage
PUT /api/v1/routing-rules/{id:guid} => perm:routing.manage
PUT /api/v1/skill-groups/{id:guid} => perm:groups.manage
PUT /api/v1/status-reasons/{code} => perm:routing.manage
PUT /api/v1/templates/{id:guid} => perm:conversations.handle|templates.manage
PUT /api/v1/templates/{id:guid}/favourite => perm:conversations.handle|templates.manage
""";
}
