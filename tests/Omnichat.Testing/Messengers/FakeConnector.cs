using Microsoft.AspNetCore.Http;

namespace Omnichat.Testing.Messengers;

/// <summary>A company's connector for the generic API channel: receives Omnichat's signed outbound events at <c>/hook</c> and answers 200.</summary>
public sealed class FakeConnector : FakeVendorServer
{
    public const string Hook = "hook";

    public string HookUrl => BaseUrl + "/" + Hook;

    protected override Task AnswerAsync(HttpContext context, VendorRequest request) =>
        request.Method == Hook ? JsonAsync(context, """{"accepted":true}""") : JsonAsync(context, """{"error":"no such path"}""", 404);
}
