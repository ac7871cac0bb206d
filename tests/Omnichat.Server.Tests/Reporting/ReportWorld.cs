using System.Net.Http.Json;
using Omnichat.Core.Clients;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;
using Omnichat.Server.Tests.Infrastructure;

namespace Omnichat.Server.Tests.Reporting;

/// <summary>
/// One hour of work written through the domain model with exact times (the same story as the Core metric tests), so the
/// reports can be checked against hand-computed numbers: group A (service level 20 s, short abandon 5 s, wrap-up 30 s)
/// and group B (30 s), operators Anna and Boris (members of both, never ready, so routing leaves the story alone),
/// a supervisor scoped to A. The conversations are saved like any change, so the reporting listeners build the figures.
/// </summary>
public sealed class ReportWorld
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    public const string Period = "from=2026-11-02T10:00:00Z&to=2026-11-02T11:00:00Z";

    public const string Hostile = "=HYPERLINK(\"http://evil.example\",\"click\")";

    public required Scenario S { get; init; }

    public required Guid Channel { get; init; }

    public required Guid A { get; init; }

    public required Guid B { get; init; }

    public required Guid Anna { get; init; }

    public required Guid Boris { get; init; }

    public required HttpClient Supervisor { get; init; }

    public required Dictionary<string, Guid> Conversations { get; init; }

    public static DateTimeOffset At(int minutes, int seconds = 0) => T0.AddMinutes(minutes).AddSeconds(seconds);

    public static async Task<ReportWorld> CreateAsync(OmnichatApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var (channel, _) = await s.ChannelAsync("Сайт");
        var a = await GroupAsync(s, "Группа A", channel, serviceLevel: 20, wrapUp: 30);
        var b = await GroupAsync(s, "Группа B", channel, serviceLevel: 30, wrapUp: 0);
        var anna = await OperatorAsync(s, "anna", "Анна", a, b);
        var boris = await OperatorAsync(s, "boris", "Борис", a, b);
        (await s.Admin.PostAsJsonAsync("/api/v1/operators", new
        {
            login = "supa", password = "Supervisor-Passw0rd", displayName = "Supervisor A", roles = new[] { "supervisor" },
            scope = new { all = false, skillGroupIds = new[] { a } },
        }, Ct)).EnsureSuccessStatusCode();
        var supervisor = await app.SignedInClientAsync("supa", "Supervisor-Passw0rd");

        var ids = new Dictionary<string, Guid>();
        await app.InScopeAsync(async db =>
        {
            var site = ChannelId.From(channel);
            var (ga, gb, oa, ob) = (SkillGroupId.From(a), SkillGroupId.From(b), OperatorId.From(anna), OperatorId.From(boris));
            (Conversation C, ClientId Client) Open(string name, int minutes, int seconds = 0)
            {
                var client = Client.Create(name, null, null, At(minutes, seconds));
                db.Clients.Add(client);
                var c = Conversation.Open(site, client.Id, null, null, Actor.ForClient(client.Id), At(minutes, seconds));
                c.Enqueue(ga, 0, Actor.System, At(minutes, seconds));
                return (c, client.Id);
            }

            var (c1, k1) = Open("Иван <script>alert(1)</script>", 0);
            c1.AppendMessage(MessageDirection.In, Actor.ForClient(k1), "Здравствуйте, не проходит оплата", "m1", null, At(0, 1));
            c1.Assign(oa, Actor.System, At(0, 10));
            c1.AppendMessage(MessageDirection.Out, Actor.ForOperator(oa), "Добрый день!", null, null, At(0, 40));
            c1.AppendMessage(MessageDirection.In, Actor.ForClient(k1), Hostile, "m2", null, At(1, 0));
            c1.AppendMessage(MessageDirection.In, Actor.ForClient(k1), "Ещё", "m3", null, At(1, 10));
            c1.AppendMessage(MessageDirection.Out, Actor.ForOperator(oa), "Ответ", null, null, At(1, 30));
            c1.Close("billing", Actor.ForOperator(oa), At(5, 10));
            c1.Rate(5, null, Actor.ForClient(k1), At(5, 30));

            var (c2, k2) = Open("Пётр", 1);
            c2.Close(Hostile, Actor.ForClient(k2), At(1, 3));
            var (c3, k3) = Open("Мария", 2);
            c3.Close(null, Actor.ForClient(k3), At(2, 40));

            var (c4, k4) = Open("Ольга", 3);
            c4.Assign(ob, Actor.System, At(3, 25));
            c4.TransferToGroup(gb, "billing question", Actor.ForOperator(ob), At(4, 0));
            c4.Assign(oa, Actor.System, At(4, 20));
            c4.Close(null, Actor.ForOperator(oa), At(10, 0));
            c4.Rate(2, null, Actor.ForClient(k4), At(10, 30));

            var (c5, _) = Open("Сергей", 14);
            var (c6, _) = Open("Анна-клиент", 5);
            c6.Offer(ob, At(5, 31), At(5, 1));
            c6.MissOffer(declined: false, At(5, 31));
            c6.Assign(oa, Actor.System, At(5, 40));

            db.Conversations.AddRange(c1, c2, c3, c4, c5, c6);
            // Anna's status history of the hour: ready, lunch 10:06–10:10, ready again.
            db.OperatorStatusChanges.AddRange(
                new OperatorStatusChange { OperatorId = oa, Status = OperatorStatus.Ready, At = At(0) },
                new OperatorStatusChange { OperatorId = oa, Status = OperatorStatus.NotReady, Reason = "lunch", At = At(6) },
                new OperatorStatusChange { OperatorId = oa, Status = OperatorStatus.Ready, At = At(10) },
                new OperatorStatusChange { OperatorId = oa, Status = OperatorStatus.Offline, At = At(30) });
            await db.SaveChangesAsync(Ct);
            foreach (var (name, c) in new[] { ("c1", c1), ("c2", c2), ("c3", c3), ("c4", c4), ("c5", c5), ("c6", c6) })
            {
                ids[name] = c.Id.Value;
            }
        });

        var world = new ReportWorld
        {
            S = s, Channel = channel, A = a, B = b, Anna = anna, Boris = boris, Supervisor = supervisor, Conversations = ids,
        };
        // The listeners have built the figures once everything is in (6 conversations, 4 answered queue entries).
        await Scenario.EventuallyAsync(async () => await world.ReportAsync("summary"),
            r => r.GetProperty("total").GetProperty("values").GetProperty("answered").GetDouble() == 4
                 && r.GetProperty("total").GetProperty("values").GetProperty("rated").GetDouble() == 2
                 && r.GetProperty("total").GetProperty("values").GetProperty("conversations").GetDouble() == 6, "the hour's figures");
        return world;
    }

    public async Task<System.Text.Json.JsonElement> ReportAsync(string report, string query = "", HttpClient? as_ = null)
    {
        var response = await (as_ ?? S.Admin).GetAsync($"/api/v1/reports/{report}?{Period}&{query}", Ct);
        response.EnsureSuccessStatusCode();
        return await Scenario.Json(response);
    }

    private static async Task<Guid> GroupAsync(Scenario s, string name, Guid channel, int serviceLevel, int wrapUp)
    {
        var created = await s.Admin.PostAsJsonAsync("/api/v1/skill-groups",
            new { name, channelIds = new[] { channel }, serviceLevelSeconds = serviceLevel, shortAbandonSeconds = 5, wrapUpSeconds = wrapUp }, Ct);
        created.EnsureSuccessStatusCode();
        var body = await Scenario.Json(created);
        Assert.Equal(serviceLevel, body.GetProperty("serviceLevelSeconds").GetInt32());
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<Guid> OperatorAsync(Scenario s, string login, string name, params Guid[] groups)
    {
        var created = await s.Admin.PostAsJsonAsync("/api/v1/operators",
            new { login, password = "Operator-Passw0rd", displayName = name, skillGroupIds = groups, capacity = 5 }, Ct);
        created.EnsureSuccessStatusCode();
        return (await Scenario.Json(created)).GetProperty("id").GetGuid();
    }
}
