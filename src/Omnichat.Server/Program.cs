using Omnichat.Server.Api;
using Omnichat.Server.Health;
using Omnichat.Server.Hosting;
using Omnichat.Server.Realtime;

var builder = WebApplication.CreateBuilder(args);

builder.AddOmnichatConfiguration();
builder.AddOmnichatLogging();
builder.AddOmnichatDatabase();
builder.AddOmnichatEvents();
builder.AddStaffAuthentication();
builder.AddClientAuthentication();
builder.AddClientRateLimits();
builder.AddOmnichatApi();
builder.AddConversationRouting();
builder.AddReports();
builder.AddMail();
builder.AddMessengers();
builder.AddRealtime();
builder.AddWorkstation();
builder.AddOmnichatHealth();

var app = builder.Build();

if (OmnichatCommands.IsMigrate(args))
{
    return await app.MigrateDatabaseAsync();
}

await app.PrepareDatabaseAsync();

if (OmnichatCommands.IsRebuildReports(args))
{
    return await app.RebuildReportsAsync(args);
}

app.UseUiCulture();
app.UseOmnichatApi();
app.MapOmnichatHealth();
app.MapApiDocs();
app.MapAuthApi();
app.MapAdminApi();
app.MapConversationsApi();
app.MapRoutingApi();
app.MapReportsApi();
app.MapClientApi();
app.MapFilesApi();
app.MapWebhooksApi();
app.MapTemplatesApi();
app.MapClientsApi();
app.MapRealtime();
app.MapWidget();
app.MapAccessApi();
app.MapSingleSignOn();
app.MapWorkstation();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so API tests can host it through WebApplicationFactory.</summary>
public partial class Program;
