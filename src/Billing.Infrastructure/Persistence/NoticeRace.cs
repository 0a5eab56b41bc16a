using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Two writers that applied the same change of one account (a user's request and Stripe's report of it) both owe
/// its notice, under one key. The second insert meets the first's unique key before its own concurrency check: that
/// is the same race as a conflict on the account, and is answered the same way (the command runs again and finds
/// the notice written).
/// </summary>
internal static class NoticeRace
{
    private const string Index = "deduplication_key";

    public static bool Lost(DbUpdateException failure) => failure.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.Message.Contains(Index, StringComparison.Ordinal),
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation && (postgres.ConstraintName?.Contains(Index, StringComparison.Ordinal) ?? false),
        _ => false,
    };
}
