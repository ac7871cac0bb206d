using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Organisation;

/// <summary>Creates a branch, or replaces one's name and time zone.</summary>
public static class SaveBranch
{
    public sealed record Request(string Name, string? TimeZone);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ValidName(Branch.MaxNameLength);
            RuleFor(r => r.TimeZone!).MaximumLength(Branch.MaxTimeZoneLength)
                .Must(tz => TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _)).WithMessage("Unknown time zone (use an IANA name such as Europe/Moscow).")
                .When(r => r.TimeZone is not null);
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<BranchView> CreateAsync(Request request, CancellationToken cancellationToken)
        {
            await EnsureUniqueNameAsync(request.Name, null, cancellationToken);
            var branch = Branch.Create(request.Name, request.TimeZone ?? "UTC", time.GetUtcNow());
            db.Branches.Add(branch);
            await db.SaveChangesAsync(cancellationToken);
            return BranchView.From(branch);
        }

        public async Task<BranchView> UpdateAsync(Guid id, Request request, CancellationToken cancellationToken)
        {
            var branch = await db.Branches.FindAsync([BranchId.From(id)], cancellationToken)
                ?? throw new NotFoundException("Branch", id);
            await EnsureUniqueNameAsync(request.Name, branch.Id, cancellationToken);
            branch.Update(request.Name, request.TimeZone ?? branch.TimeZone);
            await db.SaveChangesAsync(cancellationToken);
            return BranchView.From(branch);
        }

        private async Task EnsureUniqueNameAsync(string name, BranchId? except, CancellationToken cancellationToken)
        {
            var trimmed = name.Trim();
            if (await db.Branches.AnyAsync(b => b.Name == trimmed && b.Id != except, cancellationToken))
            {
                throw new ConflictException($"A branch named '{trimmed}' already exists.", "name");
            }
        }
    }
}
