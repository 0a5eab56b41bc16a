using System.Data.Common;
using Billing.Application.Ports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Billing.Infrastructure.Persistence;

/// <summary>Plain ADO.NET on the context's connection, for the statements EF cannot express (UPDATE … RETURNING).</summary>
internal static class Sql
{
    /// <summary>The longest <c>last_error</c> the inbox and outbox tables keep.</summary>
    public const int MaxErrorLength = 2000;

    /// <summary>The longest <c>outcome</c> the inbox keeps.</summary>
    public const int MaxOutcomeLength = 500;

    public static string ErrorText(string error) => Clip(error, MaxErrorLength);

    /// <summary>The text as a column of <paramref name="max"/> characters keeps it.</summary>
    public static string Clip(string text, int max) => text.Length > max ? text[..max] : text;

    /// <summary>
    /// The lease protocol of the inbox and the outbox: takes up to <paramref name="max"/> of the rows that
    /// <paramref name="candidates"/> selects (a <c>SELECT id …</c> that may use <c>@now</c>), in its order, for
    /// <paramref name="worker"/> until the lease ends, counting the attempt; PostgreSQL skips rows another replica
    /// is claiming at that moment. Returns each claimed id with its attempts and the <paramref name="returning"/> columns.
    /// </summary>
    public static Task<IReadOnlyList<T>> ClaimAsync<T>(BillingDbContext db, string table, string candidates, string returning, string worker, TimeSpan lease, int max, DateTimeOffset now, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] more)
    {
        var skipLocked = db.Provider == DatabaseProvider.PostgreSql ? "FOR UPDATE SKIP LOCKED" : string.Empty;
        var sql = $"""
            UPDATE {table} SET locked_by = @worker, locked_until = @until, attempts = attempts + 1
            WHERE id IN ({candidates}
                LIMIT @max {skipLocked})
            RETURNING id, attempts, {returning}
            """;
        return QueryAsync(
            db,
            sql,
            read,
            cancellationToken,
            [("worker", worker), ("until", now.Add(lease).ToUnixTimeMilliseconds()), ("now", now.ToUnixTimeMilliseconds()), ("max", max), .. more]);
    }

    /// <summary>
    /// One multi-row <c>INSERT … ON CONFLICT (<paramref name="key"/>) DO NOTHING RETURNING <paramref name="key"/></c>:
    /// stores the rows whose key is not stored yet, in one round trip and one statement however many there are,
    /// and returns the keys it stored (the unique index decides, so two instances inserting the same row keep it once).
    /// </summary>
    public static async Task<IReadOnlySet<string>> InsertNewAsync(BillingDbContext db, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, string key, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
        var parameters = new List<(string, object)>(rows.Count * columns.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"r{r}c{c}");
                sql.Append(c == 0 ? "@" : ", @").Append(name);
                parameters.Add((name, rows[r][c] ?? DBNull.Value));
            }

            sql.Append(')');
        }

        sql.Append(" ON CONFLICT (").Append(key).Append(") DO NOTHING RETURNING ").Append(key);
        var inserted = await QueryAsync(db, sql.ToString(), r => r.GetString(0), cancellationToken, [.. parameters]);
        return inserted.ToHashSet(StringComparer.Ordinal);
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(BillingDbContext db, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            var results = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                results.Add(read(reader));
            }

            return results;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
