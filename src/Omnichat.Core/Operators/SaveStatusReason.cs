using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>Creates or replaces a not-ready reason by its code (disable instead of delete: history keeps the code).</summary>
public static class SaveStatusReason
{
    public sealed record Request(string? NameRu, string? NameEn, bool? Enabled, int? Position);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.NameRu!).ValidName(StatusReason.MaxNameLength);
            RuleFor(r => r.NameEn!).ValidName(StatusReason.MaxNameLength);
            RuleFor(r => r.Position).InclusiveBetween(0, 1000);
        }
    }

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<StatusReasonView> HandleAsync(string code, Request request, CancellationToken cancellationToken)
        {
            code = code.Trim().ToLowerInvariant();
            if (code.Length is 0 or > StatusReason.MaxCodeLength || !code.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
            {
                throw new FieldValidationException("code", $"A reason code is 1–{StatusReason.MaxCodeLength} latin letters, digits or '-'.");
            }

            if (StatusReason.SystemCodes.Contains(code))
            {
                throw new FieldValidationException("code", $"'{code}' is reserved: the platform sets it itself.");
            }

            var reason = await db.StatusReasons.FirstOrDefaultAsync(r => r.Code == code, cancellationToken);
            if (reason is null)
            {
                reason = new StatusReason { Code = code };
                db.StatusReasons.Add(reason);
            }

            reason.NameRu = request.NameRu!.Trim();
            reason.NameEn = request.NameEn!.Trim();
            reason.Enabled = request.Enabled ?? true;
            reason.Position = request.Position ?? reason.Position;
            await db.SaveChangesAsync(cancellationToken);
            return StatusReasonView.From(reason);
        }
    }
}
