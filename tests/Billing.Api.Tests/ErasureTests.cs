using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;
using Billing.Infrastructure.Persistence;
using Billing.Sandbox.Stripe;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Api.Tests;

/// <summary>A user's erasure leaves no personal data in any table and keeps the accounting rows.</summary>
[TestFixture(Database.Sqlite)]
[TestFixture(Database.Postgres)]
public sealed class ErasureTests(Database database) : AppFixture(database)
{
    /// <summary>Every text value of every table of the service that contains <paramref name="needle"/>, as table: value.</summary>
    private async Task<List<string>> FindEverywhereAsync(string needle)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var found = new List<string>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()).Where(t => t is not null).Distinct())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i) && reader.GetValue(i) is string text && text.Contains(needle, StringComparison.OrdinalIgnoreCase))
                    {
                        found.Add($"{table}.{reader.GetName(i)}");
                    }
                }
            }
        }

        return found;
    }

    [Test]
    public async Task Erasing_a_user_removes_their_personal_data_everywhere_and_keeps_the_accounting_rows()
    {
        var userId = $"gdpr-{Guid.NewGuid():N}"[..18];
        var email = $"{userId}@private.example";
        App.Keycloak.AddUser(userId, email, id: userId);
        using var client = App.ClientFor(userId, email);
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        var subscriptionId = App.Stripe.CompleteCheckout((await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await App.SettleAsync();
        App.Stripe.FailRenewal(subscriptionId);
        await App.SettleAsync();
        await Task.Delay(1500);
        var before = await FindEverywhereAsync(email);
        var invoicesBefore = (await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!["data"]!.AsArray().Count;

        using var erased = await Admin.DeleteAsync($"/api/v1/billing/admin/accounts/{userId}");
        var report = (await erased.Content.ReadFromJsonAsync<JsonObject>())!;
        var after = await FindEverywhereAsync(email);
        var account = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/billing/admin/accounts/{userId}"))!;
        using var unknown = await Admin.DeleteAsync("/api/v1/billing/admin/accounts/nobody-here");
        var audit = (await Admin.GetFromJsonAsync<JsonArray>($"/api/v1/billing/admin/audit?target={userId}"))!;

        Assert.That(before, Is.Not.Empty, "the e-mail was stored before");
        Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after, Is.Empty, "no table holds the e-mail any more");
        Assert.That(report["erased"]!.AsArray(), Is.Not.Empty);
        Assert.That(report["kept"]!.AsArray().Select(k => k!.GetValue<string>()), Has.Some.Contains("invoices"));
        Assert.That(account["email"]!.GetValue<string>(), Is.Empty);
        Assert.That(account["stripe_customer_id"]!.GetValue<string>(), Does.StartWith("cus_"), "the accounting ids stay");
        Assert.That((await client.GetFromJsonAsync<JsonObject>("/api/v1/billing/invoices"))!["data"]!.AsArray(), Has.Count.EqualTo(invoicesBefore));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(audit.Select(a => a!["action"]!.GetValue<string>()), Does.Contain("erase_account"));
    }

    [Test]
    public async Task After_an_erasure_the_address_is_in_no_byte_of_the_database_files_or_the_old_row_versions_are_vacuumed()
    {
        var userId = $"bytes-{Guid.NewGuid():N}"[..18];
        var email = $"{userId}@private.example";
        App.Keycloak.AddUser(userId, email, id: userId);
        using var client = App.ClientFor(userId, email);
        using var checkout = await client.PostAsJsonAsync("/api/v1/billing/checkout/create", new { tier_id = "starter", billing_cycle = "monthly" });
        App.Stripe.CompleteCheckout((await checkout.Content.ReadFromJsonAsync<JsonObject>())!["session_id"]!.GetValue<string>(), StripeStandIn.CardSucceeds);
        await App.SettleAsync();
        Assert.That(Database != Database.Sqlite || Traces(email) > 0, Is.True, "the address was in the files before");

        using var erased = await Admin.DeleteAsync($"/api/v1/billing/admin/accounts/{userId}");

        Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        if (Database == Database.Sqlite)
        {
            Assert.That(Traces(email), Is.Zero, "freed and overwritten content is zeroed, and the write-ahead log was checkpointed and truncated");
        }
        else
        {
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var vacuumed = await db.Database.SqlQueryRaw<DateTime?>("SELECT last_vacuum AS \"Value\" FROM pg_stat_user_tables WHERE relname = 'billing_accounts'").SingleAsync();
            Assert.That(vacuumed, Is.Not.Null, "the tables the erasure rewrote were vacuumed at once");
        }
    }

    /// <summary>How many times the address's bytes occur in the SQLite database file and its write-ahead log.</summary>
    private int Traces(string email)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(App.Settings["BILLING_DATABASE"]).DataSource;
        var needle = System.Text.Encoding.UTF8.GetBytes(email);
        return new[] { file, file + "-wal" }.Where(File.Exists).Sum(path =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var count = 0;
            for (var i = bytes.AsSpan().IndexOf(needle); i >= 0; i = bytes.AsSpan(i + 1).IndexOf(needle) is var next and >= 0 ? i + 1 + next : -1)
            {
                count++;
            }

            return count;
        });
    }
}
