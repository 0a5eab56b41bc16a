using System.Diagnostics;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Lago;
using Billing.Sandbox.Mail;
using Billing.Sandbox.Stripe;

namespace Billing.Sandbox;

/// <summary>
/// <c>dotnet run --project tests/Billing.Sandbox</c>: starts the stand-ins (Stripe, Keycloak, Lago, SMTP) and the real API wired to them
/// (SQLite, a fresh database each run unless <c>--keep</c>), prints the Swagger URL, tokens, ready-to-paste curl commands and how
/// to pay, then one line for each webhook processed and each sync delivered; Ctrl+C or SIGTERM stops it all.
/// </summary>
public static class TryIt
{
    public const string WebhookSecret = "whsec_try_it";

    private const string Usage = """
        usage: dotnet run --project tests/Billing.Sandbox -- [options]
          --keep                 keep the database of the last run (default: start from a fresh one)
          --stand-ins-only       start only the stand-ins (Stripe, Keycloak, Lago, SMTP), not the API
          --api-port N           the API (default 5080)
          --page-port N          the sample billing page (default 5173)
          --stripe-port N        the Stripe stand-in (default 12111)
          --keycloak-port N      the Keycloak stand-in (default 18080)
          --lago-port N          the Lago stand-in (default 13000)
          --mail-port N          the mail stand-in's page of received e-mails (default 18025)
          --smtp-port N          the mail stand-in's SMTP port (default 12525)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var apiPort = ArgPort(args, "--api-port", 5080);
        var repo = FindRepositoryRoot();
        await using var stripe = new StripeStandIn();
        await using var keycloak = new KeycloakStandIn();
        await using var lago = new LagoStandIn();
        await using var mail = new SmtpStandIn();
        await stripe.StartAsync(ArgPort(args, "--stripe-port", 12111));
        await keycloak.StartAsync(ArgPort(args, "--keycloak-port", 18080));
        await lago.StartAsync(ArgPort(args, "--lago-port", 13000));
        await mail.StartAsync(ArgPort(args, "--mail-port", 18025), ArgPort(args, "--smtp-port", 12525));
        keycloak.AddClient("billing-service", "billing-service-secret", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        keycloak.AddClient("billing-setup", "billing-setup-secret", KeycloakStandIn.ManageRealmRole);
        var demo = keycloak.AddUser("demo", "demo@example.com", "demo", attributes: new() { ["department"] = ["research"] });
        demo.FirstName = "Demo";
        demo.LastName = "User";
        var admin = keycloak.AddUser("admin", "admin@example.com", "admin", ["billing-admin"]);

        // A team to bill (issue 24): two members and a manager of its billing, in an organization of the realm.
        keycloak.OrganizationsEnabled = true;
        var teammate = keycloak.AddUser("teammate", "teammate@example.com", "teammate");
        var manager = keycloak.AddUser("manager", "manager@example.com", "manager", ["billing-org-admin"]);
        keycloak.AddOrganization("Acme Team", memberIds: [demo.Id, teammate.Id, manager.Id]);
        foreach (var (tier, amount) in new[] { ("trial", 100L), ("starter", 1900L), ("professional", 4900L), ("enterprise", 9900L) })
        {
            lago.AddPlan(tier, amount, "monthly");
        }

        var apiUrl = $"http://127.0.0.1:{apiPort}";
        var pagePort = ArgPort(args, "--page-port", 5173);
        var pageOrigin = $"http://127.0.0.1:{pagePort}";
        keycloak.AddPublicClient(BillingPage.BillingPageHost.ClientId, $"{pageOrigin}/*");
        var database = Path.Combine(Path.GetTempPath(), "billing-try-it.db");
        if (!args.Contains("--keep"))
        {
            // Each run starts where a newcomer starts: no accounts, no events (the stand-ins start empty too).
            foreach (var file in new[] { database, $"{database}-wal", $"{database}-shm" })
            {
                File.Delete(file);
            }
        }

        stripe.Webhooks.Configure(new Uri($"{apiUrl}/api/v1/billing/webhooks/stripe"), WebhookSecret);

        // The sandbox's clock: every customer the service makes lives on it, so POST /_sandbox/clock/advance moves time.
        var clock = stripe.CreateClock("sandbox", DateTimeOffset.UtcNow);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = apiUrl,
            ["BILLING_DATABASE"] = $"Data Source={database}",

            // One line for each webhook processed and each sync delivered, and nothing else below a warning.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Billing.Infrastructure.Messaging"] = "Debug",
            ["STRIPE_API_KEY"] = stripe.ApiKey,
            ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri,
            ["STRIPE_WEBHOOK_SECRET"] = WebhookSecret,
            ["STRIPE_TEST_CLOCK"] = clock,
            ["STRIPE_SUCCESS_URL"] = $"{pageOrigin}/?checkout=success",
            ["STRIPE_CANCEL_URL"] = $"{pageOrigin}/?checkout=canceled",
            ["BILLING_CORS_ORIGINS"] = pageOrigin,
            ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri,
            ["KEYCLOAK_REALM"] = keycloak.Realm,
            ["KEYCLOAK_AUDIENCE"] = keycloak.Audience,
            ["KEYCLOAK_CLIENT_ID"] = "billing-service",
            ["KEYCLOAK_CLIENT_SECRET"] = "billing-service-secret",
            ["LAGO_API_URL"] = lago.BaseUrl.AbsoluteUri,
            ["LAGO_API_KEY"] = lago.ApiKey,
            ["SMTP_HOST"] = "127.0.0.1",
            ["SMTP_PORT"] = mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SMTP_FROM"] = "Billing <billing@example.com>",
            ["STRIPE_PORTAL_RETURN_URL"] = $"{pageOrigin}/",
            ["Billing__NotificationDelay"] = "00:00:03",

            // Something of each operator feature to try: a trial on professional, a promotion code, dispute mail.
            ["Billing__Catalog__Tiers__professional__TrialDays"] = "14",
            ["Billing__Catalog__Coupons__launch20__Name"] = "Launch 20%",
            ["Billing__Catalog__Coupons__launch20__PercentOff"] = "20",
            ["Billing__Catalog__Coupons__launch20__Duration"] = "forever",
            ["Billing__Catalog__Coupons__launch20__PromotionCodes__LAUNCH20__MaxRedemptions"] = "100",
            ["Billing__Disputes__NotifyEmail"] = "billing-team@example.com",

            // Euros beside dollars, and Stripe Tax (the stand-in taxes DE 19 %, FR 20 %, NL 21 %, GB 20 %).
            ["Billing__Catalog__Tiers__starter__CurrencyOptions__monthly__eur"] = "1700",
            ["Billing__Catalog__Tiers__starter__CurrencyOptions__yearly__eur"] = "17000",
            ["Billing__Catalog__Tiers__professional__CurrencyOptions__monthly__eur"] = "4500",
            ["Billing__Catalog__Tiers__professional__CurrencyOptions__yearly__eur"] = "45000",
            ["Billing__Tax__Automatic"] = "true",

            // Cards, and SEPA Direct Debit for a checkout in euros.
            ["Billing__Checkout__PaymentMethodTypes"] = "card,sepa_debit",
            // Acme Team (demo, teammate, manager) is billed as a team; manager holds billing-org-admin.
            ["Billing__Organizations__Enabled"] = "true",
        };
        foreach (var tier in new[] { "trial", "starter", "professional", "enterprise" })
        {
            environment[$"Lago__PlanCodes__{tier}"] = tier;
        }

        if (args.Contains("--stand-ins-only"))
        {
            Console.WriteLine($"Stand-ins only: Stripe {stripe.BaseUrl} (key {stripe.ApiKey}), Keycloak {keycloak.BaseUrl} (realm {keycloak.Realm}), Lago {lago.BaseUrl} (key {lago.ApiKey}), SMTP 127.0.0.1:{mail.SmtpPort} (mail at {mail.BaseUrl}_sandbox/mail). Ctrl+C stops them.");
            var stop = new TaskCompletionSource();
            using var standInsStopping = OnStop(() => stop.TrySetResult());
            await stop.Task;
            return 0;
        }

        var project = Path.Combine(repo, "src", "Billing.Api");
        Console.WriteLine("Building the API and putting the plan catalog into the Stripe stand-in…");
        if (await RunAsync(project, environment, ["catalog", "sync"], waitForExit: true) != 0)
        {
            return 1;
        }

        // Once per realm, with credentials that hold manage-realm (the service's own need only manage-users).
        Console.WriteLine("Declaring the billing attributes in the Keycloak stand-in's user profile (keycloak setup)…");
        var setup = new Dictionary<string, string>(environment) { ["KEYCLOAK_CLIENT_ID"] = "billing-setup", ["KEYCLOAK_CLIENT_SECRET"] = "billing-setup-secret" };
        if (await RunAsync(project, setup, ["keycloak", "setup"], waitForExit: true) != 0)
        {
            return 1;
        }

        var dist = BillingPage.BillingPageHost.BuiltPage(repo);
        if (dist is null)
        {
            Console.WriteLine("Building the sample billing page (samples/billing-spa) with npm…");
            var spa = Path.Combine(repo, "samples", "billing-spa");
            if (await NpmAsync(spa, "ci --no-audit --no-fund") != 0 || await NpmAsync(spa, "run build") != 0)
            {
                return 1;
            }

            dist = BillingPage.BillingPageHost.BuiltPage(repo)!;
        }

        await using var billingPage = new BillingPage.BillingPageHost(dist) { ApiBase = new Uri(apiUrl), KeycloakUrl = keycloak.BaseUrl, Realm = keycloak.Realm };
        await billingPage.StartAsync(pagePort);

        using var api = Start(project, environment, []);
        using var cancel = new CancellationTokenSource();
        using var stopping = OnStop(cancel.Cancel);

        if (!await WaitUntilLiveAsync(apiUrl, api))
        {
            Console.Error.WriteLine("The API did not start; see its output above.");
            return 1;
        }

        var lifetime = TimeSpan.FromHours(12);
        const string example = "{\"tier_id\":\"professional\",\"billing_cycle\":\"monthly\"}";
        var userToken = keycloak.IssueToken(demo.Id, demo.Email, lifetime: lifetime);
        var adminToken = keycloak.IssueToken(admin.Id, admin.Email, ["billing-admin"], lifetime);
        Console.WriteLine($"""

            The billing API runs at {apiUrl} against stand-ins for Stripe ({stripe.BaseUrl}), Keycloak ({keycloak.BaseUrl}) and Lago ({lago.BaseUrl}).

              Billing page: {pageOrigin}  (sign in as demo / demo, pick a plan, pay with {StripeStandIn.CardSucceeds})
              Swagger UI:   {apiUrl}/swagger
              Demo user token (paste into Authorize):
                {userToken}
              Admin token:
                {adminToken}

            Or from a shell (paste as they are):
              export BILLING={apiUrl}/api/v1/billing USER_TOKEN={userToken} ADMIN_TOKEN={adminToken}
              curl -s $BILLING/plans
              curl -s -X POST $BILLING/checkout/create -H "Authorization: Bearer $USER_TOKEN" -H "Content-Type: application/json" -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d '{example}'
              curl -s -X POST {stripe.BaseUrl}_sandbox/checkout/<session_id>/complete
              curl -s $BILLING/subscription-status -H "Authorization: Bearer $USER_TOKEN"
              curl -s $BILLING/invoices -H "Authorization: Bearer $USER_TOKEN"
              curl -s -X POST $BILLING/subscription/cancel -H "Authorization: Bearer $USER_TOKEN" -H "Content-Type: application/json" -d '{"{"}"at_period_end":true{"}"}'
              curl -s $BILLING/admin/accounts/{demo.Id} -H "Authorization: Bearer $ADMIN_TOKEN"

            Walk the flow:
              1. POST /api/v1/billing/checkout/create with {example}.
              2. Open the checkout_url it returns and pay with {StripeStandIn.CardSucceeds}
                 ({StripeStandIn.CardDeclines} is declined, {StripeStandIn.CardNeedsAuthentication} needs 3-D Secure),
                 or: curl -X POST {stripe.BaseUrl}_sandbox/checkout/<session_id>/complete
              3. GET /api/v1/billing/subscription-status: the webhook has made you professional;
                 the demo user's Keycloak attributes: {keycloak.BaseUrl}_sandbox/users/{demo.Id}
                 and the Lago customer: {lago.BaseUrl}api/v1/customers (Authorization: Bearer {lago.ApiKey}).

            When a payment needs the user (subscription_id from the status):
              4. A declined renewal:   curl -X POST {stripe.BaseUrl}_sandbox/subscriptions/<subscription_id>/fail_payment
                 The status now has action pay_invoice; its url is the hosted invoice, where a card pays it.
              5. A 3-D Secure renewal: curl -X POST {stripe.BaseUrl}_sandbox/subscriptions/<subscription_id>/require_authentication
                 The status has action authenticate_payment; open its url and complete 3-D Secure.
              6. Stripe's retries end: curl -X POST "{stripe.BaseUrl}_sandbox/subscriptions/<subscription_id>/end_retries?then=unpaid"
              7. A new card: POST /api/v1/billing/payment-methods/update and open its url; an open invoice is paid with it.
              8. POST /api/v1/billing/subscription/cancel with {"{"}"at_period_end":true{"}"}, then POST /api/v1/billing/subscription/resume.
              9. Professional starts with a 14-day trial (once per user); LAUNCH20 takes 20 % off at checkout ("promotion_code")
                 or on a live subscription (POST /api/v1/billing/subscription/promotion-code); GET /api/v1/billing/invoices lists them.
             10. Renew: curl -X POST {stripe.BaseUrl}_sandbox/subscriptions/<subscription_id>/renew
                 Refund (admin token): POST /api/v1/billing/admin/refunds with {"{"}"invoice_id":"in_…","amount":1000,"reason":"requested_by_customer"{"}"}
                 Dispute: curl -X POST {stripe.BaseUrl}_sandbox/invoices/<invoice_id>/dispute, then GET /api/v1/billing/admin/disputes?status=open
             11. Euros (a new user, or the demo user before any subscription): GET /api/v1/billing/plans?currency=eur, then checkout with
                 {"{"}"tier_id":"starter","billing_cycle":"monthly","currency":"eur"{"}"}; tax is on: pay on the page with country DE
                 (or curl -X POST "{stripe.BaseUrl}_sandbox/checkout/<session_id>/complete?country=DE") and the status shows latest_invoice_tax.
             12. Revenue (admin token): GET /api/v1/billing/admin/revenue?currency=usd and /api/v1/billing/admin/revenue/history?months=12
             13. Usage (metering token below, once the demo user subscribed): POST /api/v1/billing/usage with
                 {"{"}"events":[{"{"}"transaction_id":"t-1","user_id":"{demo.Id}","code":"api_calls","properties":{"{"}"calls":3{"}"}{"}"}]{"}"}
                 then the Lago stand-in's events: {lago.BaseUrl}_sandbox/events
                 Metering service token: {keycloak.IssueToken("metering-service", "metering@example.com", ["billing-usage-writer"], lifetime)}
             14. Time (the sandbox's Stripe test clock, {clock}): curl -X POST {stripe.BaseUrl}_sandbox/clock/advance -H "Content-Type: application/json" -d '{"{"}"days":31{"}"}'
                 renews every subscription once (and ends trials, retries declined cards, settles bank debits on their day).
             15. SEPA Direct Debit (a checkout in euros, item 11): type the IBAN {StripeStandIn.IbanSucceeds} on the page (or {StripeStandIn.IbanFails}, which fails);
                 the status says pending_payment until the debit settles {StripeStandIn.DebitSettlesAfterDays} days later on the clock.
              The e-mails the user got (a few seconds later): {mail.BaseUrl}_sandbox/mail
            Below: one line for each webhook processed and each sync delivered. Ctrl+C (or SIGTERM) stops everything.
            """);
        try
        {
            await api.WaitForExitAsync(cancel.Token);
            Console.Error.WriteLine($"The API exited with code {api.ExitCode}.");
            return api.ExitCode;
        }
        catch (OperationCanceledException)
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
            return 0;
        }
    }

    /// <summary>Ctrl+C and SIGTERM (a container, a supervisor) both stop the sandbox cleanly, the API with it.</summary>
    private static IDisposable OnStop(Action stop)
    {
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop();
        };
        return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop();
        });
    }

    private static async Task<bool> WaitUntilLiveAsync(string apiUrl, Process api)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 240 && !api.HasExited; i++)
        {
            try
            {
                using var live = await http.GetAsync($"{apiUrl}/health/live");
                if (live.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        return false;
    }

    private static int ArgPort(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var port) ? port : fallback;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Billing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run this from a clone of the repository (Billing.sln not found above the sandbox).");
    }

    private static Process Start(string project, Dictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in new[] { "run", "--project", project, "--no-launch-profile", "--" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    private static async Task<int> NpmAsync(string folder, string arguments)
    {
        using var npm = Process.Start(new ProcessStartInfo("npm", arguments) { WorkingDirectory = folder, UseShellExecute = false }) ?? throw new InvalidOperationException("Could not start npm.");
        await npm.WaitForExitAsync();
        return npm.ExitCode;
    }

    private static async Task<int> RunAsync(string project, Dictionary<string, string> environment, string[] arguments, bool waitForExit)
    {
        using var process = Start(project, environment, arguments);
        if (waitForExit)
        {
            await process.WaitForExitAsync();
        }

        return process.ExitCode;
    }
}
