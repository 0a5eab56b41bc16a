using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Billing.Benchmarks;

/// <summary>
/// The store's own rate for what accepting a webhook needs: 32 clients each committing one durable row of a receipt's
/// size per transaction, on the same server or file the service uses, measured beside the service's run. PostgreSQL's
/// is <c>pgbench</c>'s; SQLite's is the same loop in this process (one connection per client, the service's pragmas).
/// </summary>
internal static partial class StoreCommitRate
{
    public const int Clients = 32;

    /// <summary>A Stripe event of the benchmark's kind, minimised, is about this long.</summary>
    private const int RowBytes = 2_500;

    public static async Task<double> PostgresAsync(string connectionString, TimeSpan duration)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE IF NOT EXISTS receipts (id text PRIMARY KEY, payload text NOT NULL)", connection);
            await create.ExecuteNonQueryAsync();
        }

        var script = Path.Combine(Path.GetTempPath(), $"billing-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, $"INSERT INTO receipts VALUES (:client_id || '-' || random(), repeat('x', {RowBytes}));\n");
        try
        {
            var pgbench = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin", "pgbench")).First(File.Exists);
            var start = new ProcessStartInfo(pgbench, [
                "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-n",
                "-c", Clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                "-f", script, builder.Database!,
            ]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return Tps().Match(output) is { Success: true } tps
                ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"pgbench gave no rate: {output} {await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    public static async Task<double> SqliteAsync(TimeSpan duration)
    {
        var file = Path.Combine(Path.GetTempPath(), $"billing-commit-rate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var setup = new SqliteConnection($"Data Source={file}"))
            {
                await setup.OpenAsync();
                await using var create = setup.CreateCommand();
                create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE receipts (id TEXT PRIMARY KEY, payload TEXT NOT NULL);";
                await create.ExecuteNonQueryAsync();
            }

            var payload = new string('x', RowBytes);
            var committed = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
                await connection.OpenAsync();
                await using (var pragmas = connection.CreateCommand())
                {
                    // As the service's receipts: durable on commit, waiting its turn for the single writer.
                    pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;";
                    await pragmas.ExecuteNonQueryAsync();
                }

                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO receipts VALUES ($id, $payload)";
                var id = insert.Parameters.Add("$id", SqliteType.Text);
                insert.Parameters.AddWithValue("$payload", payload);
                for (var n = 0; clock.Elapsed < duration; n++)
                {
                    id.Value = $"{client}-{n}";
                    await insert.ExecuteNonQueryAsync();
                    Interlocked.Increment(ref committed);
                }
            })));
            return committed / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
