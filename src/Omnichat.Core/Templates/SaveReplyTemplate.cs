using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Templates;

/// <summary>
/// Creates, changes or deletes a reply template. Shared templates (global, group) are managed by
/// supervisors and administrators; anyone manages their personal ones. Someone else's personal template
/// does not exist for the caller (404).
/// </summary>
public static class SaveReplyTemplate
{
    public sealed record Request(TemplateScope? Scope, Guid? SkillGroupId, string Title, string? Category, string Text);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Scope).NotNull().WithMessage("'scope' must be global, group or personal.");
            RuleFor(r => r.Title).ValidName(ReplyTemplate.MaxTitleLength);
            RuleFor(r => r.Category).MaximumLength(ReplyTemplate.MaxCategoryLength)
                .Must(c => c is null || !c.Any(char.IsControl)).WithMessage("'category' must not contain control characters.");
            RuleFor(r => r.Text).NotEmpty().MaximumLength(ReplyTemplate.MaxTextLength);
            RuleFor(r => r.SkillGroupId).NotNull().When(r => r.Scope == TemplateScope.Group).WithMessage("'skillGroupId' is required for a group template.");
            RuleFor(r => r.SkillGroupId).Null().When(r => r.Scope != TemplateScope.Group).WithMessage("'skillGroupId' is only for group templates.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<ReplyTemplateView> CreateAsync(StaffScope staff, Request request, CancellationToken cancellationToken)
        {
            var scope = request.Scope!.Value;
            if (scope != TemplateScope.Personal && !staff.Has(Permissions.ManageTemplates))
            {
                throw new ForbiddenException("Only supervisors and administrators manage shared templates; create a personal one.", "scope");
            }

            var group = request.SkillGroupId is { } g ? SkillGroupId.From(g) : (SkillGroupId?)null;
            await References.EnsureExistsAsync(db.SkillGroups, (set, id) => set.Where(x => x.Id == id), group, "skillGroupId", cancellationToken);
            var template = ReplyTemplate.Create(scope, group, staff.OperatorId, request.Title, request.Category, request.Text, time.GetUtcNow());
            db.Add(template);
            await db.SaveChangesAsync(cancellationToken);
            return ReplyTemplateView.From(template, favourite: false);
        }

        /// <summary>Changes title, category and text (scope and owner stay).</summary>
        public async Task<ReplyTemplateView> UpdateAsync(StaffScope staff, Guid id, Request request, CancellationToken cancellationToken)
        {
            var template = await FindManagedAsync(staff, id, cancellationToken);
            template.Update(request.Title, request.Category, request.Text, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            var favourite = await db.Set<ReplyTemplateFavourite>().AnyAsync(f => f.TemplateId == template.Id && f.OperatorId == staff.OperatorId, cancellationToken);
            return ReplyTemplateView.From(template, favourite);
        }

        public async Task DeleteAsync(StaffScope staff, Guid id, CancellationToken cancellationToken)
        {
            var template = await FindManagedAsync(staff, id, cancellationToken);
            await db.Set<ReplyTemplateFavourite>().Where(f => f.TemplateId == template.Id).ExecuteDeleteAsync(cancellationToken);
            db.Remove(template);
            await db.SaveChangesAsync(cancellationToken);
        }

        private async Task<ReplyTemplate> FindManagedAsync(StaffScope staff, Guid id, CancellationToken cancellationToken)
        {
            var template = await TemplateAccess.Visible(db.Set<ReplyTemplate>(), staff).FirstOrDefaultAsync(t => t.Id == ReplyTemplateId.From(id), cancellationToken)
                ?? throw new NotFoundException("Template", id);
            return TemplateAccess.MayManage(template, staff)
                ? template
                : throw new ForbiddenException("Only supervisors and administrators manage shared templates.", "id");
        }
    }
}
