using Microsoft.EntityFrameworkCore;

namespace Omnichat.Core.Kernel;

/// <summary>Checks that ids named in a request exist, reporting the first unknown one by its field path.</summary>
public static class References
{
    public static async Task EnsureAllExistAsync<TEntity, TId>(
        IQueryable<TEntity> set, Func<IQueryable<TEntity>, IReadOnlyCollection<TId>, IQueryable<TId>> existing,
        IReadOnlyList<TId> ids, string field, CancellationToken cancellationToken)
        where TId : struct
    {
        if (ids.Count == 0)
        {
            return;
        }

        var distinct = ids.Distinct().ToList();
        var found = await existing(set, distinct).ToListAsync(cancellationToken);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!found.Contains(ids[i]))
            {
                throw new FieldValidationException($"{field}[{i}]", $"No such {Singular(field)}: {ids[i]}.");
            }
        }
    }

    public static async Task EnsureExistsAsync<TEntity, TId>(
        IQueryable<TEntity> set, Func<IQueryable<TEntity>, TId, IQueryable<TEntity>> byId, TId? id, string field, CancellationToken cancellationToken)
        where TId : struct
    {
        if (id is { } value && !await byId(set, value).AnyAsync(cancellationToken))
        {
            throw new FieldValidationException(field, $"No such {field.Replace("Id", "", StringComparison.Ordinal)}: {value}.");
        }
    }

    private static string Singular(string field) =>
        field.EndsWith("Ids", StringComparison.Ordinal) ? field[..^3] : field;
}
