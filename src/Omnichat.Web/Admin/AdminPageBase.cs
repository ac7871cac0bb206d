using Microsoft.AspNetCore.Components;
using MudBlazor;
using Omnichat.Core.Kernel;
using Omnichat.Web.Shared;

namespace Omnichat.Web.Admin;

/// <summary>
/// What every console page shares: <see cref="AdminData"/>, loading once it opens, and asking before a destructive
/// action. An administrator whose role was taken away since the page opened is sent to sign in again.
/// </summary>
public abstract class AdminPageBase : ComponentBase
{
    [Inject]
    protected AdminData Data { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>Changes are not cancelled by leaving the page half-way; reads are short.</summary>
    protected static CancellationToken None => CancellationToken.None;

    protected sealed override async Task OnInitializedAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (ForbiddenException)
        {
            var here = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            Navigation.NavigateTo($"/account/login?returnUrl={Uri.EscapeDataString(here)}", forceLoad: true);
        }
    }

    /// <summary>Reads what the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Asks in a dialog; true only when the administrator chose <paramref name="yes"/>.</summary>
    protected async Task<bool> ConfirmAsync(string question, string yes)
    {
        var parameters = new DialogParameters<ConfirmDialog> { { d => d.Text, question }, { d => d.YesText, yes } };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>(UiText.Get("admin.confirm.title"), parameters,
            new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false };
    }

    /// <summary>A name from a list by id, "—" for none and the id itself for one that is gone.</summary>
    protected static string NameIn<T>(IEnumerable<T> items, Guid? id, Func<T, Guid> key, Func<T, string> name) =>
        id is not { } wanted ? "—" : items.FirstOrDefault(i => key(i) == wanted) is { } found ? name(found) : wanted.ToString();
}
