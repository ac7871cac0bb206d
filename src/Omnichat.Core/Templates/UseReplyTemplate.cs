using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Templates;

/// <summary>
/// Fills a template in for a conversation and counts the use: <c>{client.name}</c>, <c>{client.email}</c>,
/// <c>{client.phone}</c>, <c>{operator.name}</c>, <c>{conversation.id}</c>, <c>{channel.name}</c>,
/// <c>{conversation.topic}</c>, and the client's custom fields as <c>{client.fields.name}</c>. A value that is
/// missing becomes empty (a custom field the client lacks too); an unknown placeholder stays as written. Values are inserted as text: the reply is sent as text like any other.
/// </summary>
public static partial class UseReplyTemplate
{
    public sealed record Response(Guid TemplateId, string Text);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<Response> HandleAsync(StaffScope staff, Guid templateId, Guid conversationId, CancellationToken cancellationToken)
        {
            var template = await TemplateAccess.Visible(db.Set<ReplyTemplate>().AsNoTracking(), staff)
                .FirstOrDefaultAsync(t => t.Id == ReplyTemplateId.From(templateId), cancellationToken)
                ?? throw new NotFoundException("Template", templateId);
            var conversation = await staff.Visible(db.Conversations).AsNoTracking()
                .Where(c => c.Id == ConversationId.From(conversationId))
                .Select(c => new
                {
                    c.Id, c.Topic,
                    Client = db.Clients.Where(x => x.Id == c.ClientId).Select(x => new { x.DisplayName, x.Email, x.Phone, x.Fields }).First(),
                    Channel = db.Channels.Where(x => x.Id == c.ChannelId).Select(x => x.Name).First(),
                })
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException("Conversation", conversationId);
            var me = await db.Operators.Where(o => o.Id == staff.OperatorId).Select(o => o.DisplayName).FirstAsync(cancellationToken);
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["client.name"] = conversation.Client.DisplayName,
                ["client.email"] = conversation.Client.Email,
                ["client.phone"] = conversation.Client.Phone,
                ["operator.name"] = me,
                ["conversation.id"] = conversation.Id.ToString(),
                ["conversation.topic"] = conversation.Topic,
                ["channel.name"] = conversation.Channel,
            };
            foreach (var (name, value) in conversation.Client.Fields)
            {
                values["client.fields." + name] = value;
            }

            var text = Fill(template.Text, values);
            await db.Set<ReplyTemplate>().Where(t => t.Id == template.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsageCount, t => t.UsageCount + 1), cancellationToken);
            return new Response(templateId, text);
        }
    }

    public static string Fill(string text, IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value ?? ""
            : m.Groups[1].Value.StartsWith("client.fields.", StringComparison.OrdinalIgnoreCase) ? "" : m.Value);

    [GeneratedRegex(@"\{([a-zA-Z]+\.[a-zA-Z]+(?:\.[a-z][a-z0-9_]{0,31})?)\}")]
    private static partial Regex Placeholder();
}
