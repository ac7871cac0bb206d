using Omnichat.Core.Access;

namespace Omnichat.Core.Templates;

/// <summary>
/// Who sees and who manages templates: everyone sees global ones, their groups' ones and their own;
/// supervisors and administrators see and manage all shared ones; personal ones only their owner.
/// </summary>
internal static class TemplateAccess
{
    public static IQueryable<ReplyTemplate> Visible(IQueryable<ReplyTemplate> templates, StaffScope staff)
    {
        var me = staff.OperatorId;
        var groups = staff.SkillGroups.ToList();
        return staff.Has(Permissions.ManageTemplates)
            ? templates.Where(t => t.Scope != TemplateScope.Personal || t.OwnerId == me)
            : templates.Where(t => t.Scope == TemplateScope.Global
                                   || (t.Scope == TemplateScope.Group && t.SkillGroupId != null && groups.Contains(t.SkillGroupId.Value))
                                   || (t.Scope == TemplateScope.Personal && t.OwnerId == me));
    }

    public static bool MayManage(ReplyTemplate template, StaffScope staff) =>
        template.Scope == TemplateScope.Personal ? template.OwnerId == staff.OperatorId : staff.Has(Permissions.ManageTemplates);
}
