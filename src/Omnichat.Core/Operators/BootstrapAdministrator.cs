using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>
/// On an empty database: creates the built-in roles and the first administrator. A password that is
/// not configured is generated, printed once to the console, and only its hash is stored.
/// </summary>
public sealed partial class BootstrapAdministrator(
    OmnichatDbContext db,
    RoleManager<IdentityRole<Guid>> roles,
    CreateOperator.Handler createOperator,
    IOptions<OmnichatOptions> options,
    TextWriter console,
    ILogger<BootstrapAdministrator> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() });
            }
        }

        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var login = options.Value.Bootstrap.AdminLogin;
        var configured = options.Value.Bootstrap.AdminPassword;
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        await createOperator.HandleAsync(
            new CreateOperator.Request(login, password, "Administrator", [], 0, [StaffRoles.Administrator]), cancellationToken);
        LogCreated(logger, login);
        if (string.IsNullOrEmpty(configured))
        {
            // Printed once, on purpose outside the structured log pipeline; only the hash is stored.
            await console.WriteLineAsync(
                $"""

                 ==================================================================
                  Omnichat administrator created
                    login:    {login}
                    password: {password}
                  This password is shown only now. Change it after signing in.
                 ==================================================================

                 """);
            await console.FlushAsync(cancellationToken);
        }
    }

    /// <summary>20 characters from a set without look-alikes, plus one of each class the policy asks for.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return new string(chars) + "a7K-";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first administrator account {Login}")]
    private static partial void LogCreated(ILogger logger, string login);
}
