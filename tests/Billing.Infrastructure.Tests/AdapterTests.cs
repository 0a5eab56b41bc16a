using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Sandbox.Common;
using Billing.Sandbox.Keycloak;
using Billing.Sandbox.Lago;
using Billing.Sandbox.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Infrastructure.Tests;

/// <summary>The production adapters against the stand-ins, configured only through settings.</summary>
public sealed class AdapterTests
{
    private static AccountState State(string userId, string email, string tier = "professional", string status = "active", string? customer = "cus_1", string? subscription = "sub_1", bool live = true) =>
        new(userId, email, null, tier, status, "monthly", customer, subscription, new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), live);

    [Test]
    public async Task Keycloak_gets_the_six_attributes_by_id_and_keeps_everything_else()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.AddClient("svc", "pw", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        var user = keycloak.AddUser("ada", "ada@example.com", id: "kc-1", attributes: new() { ["team"] = ["blue"], ["subscription_tier"] = ["trial"] });
        user.FirstName = "Ada";
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri, ["KEYCLOAK_CLIENT_ID"] = "svc", ["KEYCLOAK_CLIENT_SECRET"] = "pw" });
        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();
        Assert.That((await directory.DeclareAttributesAsync(dryRun: false, default)).IsSuccess, Is.True, "keycloak setup");

        var first = await directory.PublishAsync(State("kc-1", "ada@example.com"), default);
        var second = await directory.PublishAsync(State("kc-1", "ada@example.com", status: "past_due", customer: null), default);

        Assert.That(first.IsSuccess && second.IsSuccess, Is.True, first.Error?.Detail ?? second.Error?.Detail);
        var attributes = keycloak.FindUser("kc-1")!.Attributes;
        Assert.That(attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        Assert.That(attributes["subscription_status"], Is.EqualTo(new[] { "past_due" }));
        Assert.That(attributes.ContainsKey("stripe_customer_id"), Is.False, "an unknown value is removed, not written as empty");
        Assert.That(attributes["subscription_start_date"], Is.EqualTo(new[] { "2026-11-01" }));
        Assert.That(attributes["subscription_end_date"], Is.EqualTo(new[] { "2026-12-01" }));
        Assert.That(attributes["team"], Is.EqualTo(new[] { "blue" }));
        Assert.That(keycloak.FindUser("kc-1")!.FirstName, Is.EqualTo("Ada"));
        Assert.That(keycloak.TokensIssued, Is.EqualTo(1), "the token is cached between calls");
    }

    [Test]
    public async Task Keycloak_gets_the_entitlements_as_one_compact_attribute_once_the_catalog_names_some()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.AddClient("svc", "pw", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        keycloak.AddUser("ada", "ada@example.com", id: "kc-1");
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new()
        {
            ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri,
            ["KEYCLOAK_CLIENT_ID"] = "svc",
            ["KEYCLOAK_CLIENT_SECRET"] = "pw",
            ["Billing:Catalog:Tiers:professional:Prices:monthly"] = "4900",
            ["Billing:Catalog:Tiers:professional:Features:seats"] = "5",
        });
        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();

        var undeclared = await directory.PublishAsync(State("kc-1", "ada@example.com") with { Entitlements = "{\"seats\":5,\"sso\":true}" }, default);
        var declared = await directory.DeclareAttributesAsync(dryRun: false, default);
        var written = await directory.PublishAsync(State("kc-1", "ada@example.com") with { Entitlements = "{\"seats\":5,\"sso\":true}" }, default);

        Assert.That(undeclared.Error?.Code, Is.EqualTo("keycloak_attributes_undeclared"), "a realm set up before entitlements would drop them: never counted as delivered");
        Assert.That(declared.Value.Declared, Does.Contain("billing_entitlements"));
        Assert.That(written.IsSuccess, Is.True, written.Error?.Detail);
        Assert.That(keycloak.FindUser("kc-1")!.Attributes["billing_entitlements"], Is.EqualTo(new[] { "{\"seats\":5,\"sso\":true}" }));
    }

    [Test]
    public async Task Keycloak_falls_back_to_the_exact_email_and_reports_a_missing_user_as_not_found()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.AddUser("admin", null, "admin-pw", [KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole]);
        keycloak.AddUser("grace", "grace@example.com", id: "kc-real");
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri, ["KEYCLOAK_ADMIN_USERNAME"] = "admin", ["KEYCLOAK_ADMIN_PASSWORD"] = "admin-pw" });
        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();
        Assert.That((await directory.DeclareAttributesAsync(dryRun: false, default)).IsSuccess, Is.True, "keycloak setup");

        var byEmail = await directory.PublishAsync(State("kc-unknown-id", "grace@example.com"), default);
        var missing = await directory.PublishAsync(State("kc-nobody", "nobody@example.com"), default);

        Assert.That(byEmail.IsSuccess, Is.True, byEmail.Error?.Detail);
        Assert.That(keycloak.FindUser("kc-real")!.Attributes["subscription_tier"], Is.EqualTo(new[] { "professional" }));
        Assert.That(missing.Error!.Kind, Is.EqualTo(ErrorKind.NotFound));
        Assert.That(keycloak.Requests.Matching("POST", "/realms/").Single().Body, Does.Contain("grant_type=password"));
        Assert.That(keycloak.Requests.Matching("GET", "/admin/realms/").Where(r => r.Query.Contains("email=", StringComparison.Ordinal)).Select(r => r.Query), Has.All.Contain("exact=true"), "booleans as Keycloak's API spells them");
    }

    [Test]
    public async Task Keycloak_outages_are_transient_failures_after_the_resilience_retries()
    {
        await using var keycloak = new KeycloakStandIn();
        await keycloak.StartAsync();
        keycloak.AddClient("svc", "pw", KeycloakStandIn.ManageUsersRole, KeycloakStandIn.ManageRealmRole);
        keycloak.AddUser("ada", "ada@example.com", id: "kc-1");
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["KEYCLOAK_URL"] = keycloak.BaseUrl.AbsoluteUri, ["KEYCLOAK_CLIENT_ID"] = "svc", ["KEYCLOAK_CLIENT_SECRET"] = "pw" });
        await using var scope = adapters.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<IIdentityDirectory>();
        Assert.That((await directory.DeclareAttributesAsync(dryRun: false, default)).IsSuccess, Is.True, "keycloak setup");
        keycloak.Faults.FailNext(2, FaultKind.ServerError, "/admin/");

        var blip = await directory.PublishAsync(State("kc-1", "ada@example.com"), default);
        keycloak.Faults.FailFor(TimeSpan.FromSeconds(30), FaultKind.RefuseConnection, "/admin/");
        var outage = await directory.PublishAsync(State("kc-1", "ada@example.com"), default);

        Assert.That(blip.IsSuccess, Is.True, "two 500s are absorbed by the retry policy");
        Assert.That(outage.Error!.Kind, Is.EqualTo(ErrorKind.UpstreamUnavailable));
    }

    [Test]
    public async Task Lago_gets_the_customer_envelope_and_the_mirrored_subscription_and_a_422_is_a_validation_failure()
    {
        await using var lago = new LagoStandIn();
        await lago.StartAsync();
        lago.AddPlan("pro-plan");
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["LAGO_API_URL"] = lago.BaseUrl.AbsoluteUri, ["LAGO_API_KEY"] = lago.ApiKey, ["Lago:PlanCodes:professional"] = "pro-plan" });
        await using var scope = adapters.Services.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<IUsageLedger>();

        var created = await ledger.PublishAsync(State("u1", "u1@example.com"), default);
        var ended = await ledger.PublishAsync(State("u1", "u1@example.com", "trial", "canceled", live: false), default);
        lago.RejectCustomersWith = ("email", "invalid_format");
        var rejected = await ledger.PublishAsync(State("u1", "u1@example.com"), default);

        Assert.That(created.IsSuccess && ended.IsSuccess, Is.True, created.Error?.Detail ?? ended.Error?.Detail);
        var body = System.Text.Json.Nodes.JsonNode.Parse(lago.Requests.Matching("POST", "/api/v1/customers")[0].Body)!["customer"]!;
        Assert.That(body["external_id"]!.GetValue<string>(), Is.EqualTo("cus_1"));
        Assert.That(body["billing_configuration"]!.ToJsonString(), Is.EqualTo("{\"payment_provider\":\"stripe\",\"provider_customer_id\":\"cus_1\",\"sync\":false}"));
        Assert.That(body["metadata"]![0]!.ToJsonString(), Is.EqualTo("{\"key\":\"tier\",\"value\":\"professional\",\"display_in_invoice\":false}"));
        Assert.That(lago.Subscriptions["sub_1"]["plan_code"]!.GetValue<string>(), Is.EqualTo("pro-plan"));
        Assert.That(lago.Subscriptions["sub_1"]["status"]!.GetValue<string>(), Is.EqualTo("terminated"));
        Assert.That(rejected.Error!.Kind, Is.EqualTo(ErrorKind.Validation));
        Assert.That(rejected.Error.Detail, Does.Contain("invalid_format"));
    }

    [Test]
    public async Task Listing_stripe_customers_for_reconciliation_reads_every_page_and_leaves_deleted_ones_out()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();

        // Paced under Stripe's 25 requests/s per endpoint: 102 customers made as fast as possible met 429s the retries
        // could not always outlast on a loaded machine.
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_API_KEY"] = stripe.ApiKey, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri, ["Billing:Stripe:RequestsPerSecond"] = "20" });
        await using var scope = adapters.Services.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<ICustomerGateway>();
        var created = new List<string>();
        for (var i = 0; i < 102; i++)
        {
            created.Add((await gateway.CreateCustomerAsync(new NewCustomer($"u{i}", $"u{i}@example.com", $"list-test-{i}"), default)).Value);
        }

        await new global::Stripe.CustomerService(new global::Stripe.StripeClient(apiKey: stripe.ApiKey, apiBase: stripe.BaseUrl.AbsoluteUri.TrimEnd('/'))).DeleteAsync(created[0]);

        var listed = await gateway.ListCustomerIdsAsync(default);
        var deleted = await gateway.IsCustomerDeletedAsync(created[0], default);

        Assert.That(listed.Value, Is.EquivalentTo(created.Skip(1)), "two pages of at most 100, none left out, the deleted one not listed");
        Assert.That(deleted.Value, Is.True);
    }

    [Test]
    public async Task A_subscription_change_sent_again_with_its_key_answers_the_subscription_as_it_is_now_not_Stripes_replay()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();
        var sdk = new global::Stripe.StripeClient(apiKey: stripe.ApiKey, apiBase: stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));
        var product = await new global::Stripe.ProductService(sdk).CreateAsync(new global::Stripe.ProductCreateOptions { Name = "Starter" });
        await new global::Stripe.PriceService(sdk).CreateAsync(new global::Stripe.PriceCreateOptions { Product = product.Id, UnitAmount = 1900, Currency = "usd", Recurring = new() { Interval = "month" }, LookupKey = "starter_monthly" });
        var (_, subscriptionId) = stripe.SeedSubscription("starter_monthly", "u1");
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_API_KEY"] = stripe.ApiKey, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri, ["Billing:Stripe:RequestsPerSecond"] = "1000" });
        await using var scope = adapters.Services.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<ISubscriptionGateway>();

        var first = await gateway.CancelSubscriptionAsync(subscriptionId, atPeriodEnd: true, "cancel-key", default);
        var kept = await gateway.KeepSubscriptionAsync(subscriptionId, "keep-key", default);
        var again = await gateway.CancelSubscriptionAsync(subscriptionId, atPeriodEnd: true, "cancel-key", default);

        Assert.That(first.Value.CancelAtPeriodEnd, Is.True);
        Assert.That(kept.Value.CancelAtPeriodEnd, Is.False);
        Assert.That(kept.Value.Metadata[SubscriptionChangeRequest.MetadataKey], Is.EqualTo("keep-key"), "the change names the request that made it");
        Assert.That(again.Value.CancelAtPeriodEnd, Is.False, "Stripe replayed the first answer; the subscription now is kept");
        Assert.That(stripe.Subscription(subscriptionId)!["cancel_at_period_end"]!.GetValue<bool>(), Is.False, "the replay changed nothing in Stripe");
    }

    [Test]
    public async Task Stripe_failures_become_billing_errors_and_a_missing_key_names_the_setting()
    {
        await using var stripe = new StripeStandIn();
        await stripe.StartAsync();
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_API_KEY"] = stripe.ApiKey, ["STRIPE_API_BASE"] = stripe.BaseUrl.AbsoluteUri });
        await using var unconfigured = await Adapters.CreateAsync(Database.Sqlite);
        await using var scope = adapters.Services.CreateAsyncScope();
        var gateway = scope.ServiceProvider.GetRequiredService<ISubscriptionGateway>();
        await using var bare = unconfigured.Services.CreateAsyncScope();

        var missing = await gateway.GetSubscriptionAsync("sub_missing", default);
        stripe.Faults.FailNext(3, FaultKind.TooManyRequests);
        var retried = await gateway.GetSubscriptionAsync("sub_missing", default);
        stripe.Faults.FailNext(10, FaultKind.TooManyRequests);
        var limited = await gateway.GetSubscriptionAsync("sub_missing", default);
        stripe.Faults.Clear();
        stripe.Faults.FailNext(3, FaultKind.ServerError);
        var down = await gateway.GetSubscriptionAsync("sub_missing", default);
        var noKey = await bare.ServiceProvider.GetRequiredService<ISubscriptionGateway>().GetSubscriptionAsync("sub_1", default);

        Assert.That(missing.Error!.Kind, Is.EqualTo(ErrorKind.NotFound));
        Assert.That(retried.Error!.Kind, Is.EqualTo(ErrorKind.NotFound), "three 429s are retried with backoff until Stripe answers");
        Assert.That(limited.Error!.Kind, Is.EqualTo(ErrorKind.RateLimited));
        Assert.That(limited.Error.RetryAfter, Is.Not.Null);
        Assert.That(down.Error!.Kind, Is.EqualTo(ErrorKind.UpstreamUnavailable));
        Assert.That(down.Error.Detail, Does.Not.Contain("Injected"));
        Assert.That(noKey.Error!.Kind, Is.EqualTo(ErrorKind.NotConfigured));
        Assert.That(noKey.Error.Detail, Does.Contain("STRIPE_API_KEY"));
    }

    [Test]
    public void A_card_error_is_a_declined_payment_with_Stripes_customer_facing_message()
    {
        var declined = new global::Stripe.StripeException(System.Net.HttpStatusCode.PaymentRequired, new global::Stripe.StripeError { Type = "card_error", Code = "card_declined", Message = "Your card was declined." }, "Your card was declined.");
        var invalid = new global::Stripe.StripeException(System.Net.HttpStatusCode.BadRequest, new global::Stripe.StripeError { Type = "invalid_request_error", Message = "No such price: 'price_internal_123'" }, "No such price");

        var payment = Billing.Infrastructure.Stripe.StripeErrors.From(declined, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "test");
        var request = Billing.Infrastructure.Stripe.StripeErrors.From(invalid, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "test");

        Assert.That(payment.Kind, Is.EqualTo(ErrorKind.PaymentDeclined));
        Assert.That(payment.Detail, Is.EqualTo("Your card was declined."));
        Assert.That(request.Kind, Is.EqualTo(ErrorKind.UpstreamUnavailable));
        Assert.That(request.Detail, Does.Not.Contain("price_internal_123"), "Stripe's internal message stays in the logs");
    }

    [Test]
    public async Task Webhook_signatures_verify_with_any_current_secret_within_the_tolerance_only()
    {
        await using var adapters = await Adapters.CreateAsync(Database.Sqlite, new() { ["STRIPE_WEBHOOK_SECRET"] = "whsec_new, whsec_old" });
        var reader = adapters.Services.GetRequiredService<IStripeEventReader>();
        const string payload = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":1795000000,\"api_version\":\"2020-08-27\",\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\",\"customer\":\"cus_1\",\"subscription\":\"sub_old_shape\"}}}";

        var old = reader.Verify(payload, StripeSignature.Header(payload, "whsec_old"));
        var stale = reader.Verify(payload, StripeSignature.Header(payload, "whsec_new", DateTimeOffset.UtcNow.AddMinutes(-6)));
        var wrong = reader.Verify(payload, StripeSignature.Header(payload, "whsec_other"));
        var facts = reader.Read(payload);

        Assert.That(old.IsSuccess, Is.True);
        Assert.That(old.Value.ApiVersion, Is.EqualTo("2020-08-27"));
        Assert.That(stale.Error!.Code, Is.EqualTo("signature_stale"));
        Assert.That(wrong.Error!.Code, Is.EqualTo("signature_invalid"));
        Assert.That(facts.Value.SubscriptionId, Is.EqualTo("sub_old_shape"), "an older API version's invoice.subscription is still read");
    }

    [TestCase("card_error", "Your card has insufficient funds.", true)]
    [TestCase("invalid_request_error", "Internal: customer cus_123 ledger acct_9 is frozen", false)]
    public async Task Only_a_card_errors_message_reaches_the_caller_on_a_402(string type, string message, bool shown)
    {
        var body = $"{{\"error\":{{\"type\":\"{type}\",\"code\":\"payment_refused\",\"message\":\"{message}\"}}}}";
        await using var adapters = await Adapters.CreateAsync(
            Database.Sqlite,
            new() { ["STRIPE_API_KEY"] = "sk_test_stub", ["STRIPE_API_BASE"] = "http://127.0.0.1:9/" },
            services => services.AddHttpClient("stripe").ConfigurePrimaryHttpMessageHandler(() => new Answer(System.Net.HttpStatusCode.PaymentRequired, body)));
        await using var scope = adapters.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<ISubscriptionGateway>().GetSubscriptionAsync("sub_1", default);

        Assert.That(result.Error!.Kind, Is.EqualTo(ErrorKind.PaymentDeclined));
        Assert.That(result.Error.Detail.Contains(message, StringComparison.Ordinal), Is.EqualTo(shown));
    }

    private sealed class Answer(System.Net.HttpStatusCode status, string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") });
    }
}
