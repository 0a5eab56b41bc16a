using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Billing.Sandbox.Tests;

/// <summary>The Stripe stand-in answers Stripe.net (the real SDK) and plain HTTP as Stripe does.</summary>
public sealed class StripeStandInTests
{
    private const string WebhookSecret = "whsec_sandbox_test";
    private StripeStandIn _stripe = null!;
    private WebhookRecorder _hook = null!;
    private StripeClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stripe = new StripeStandIn();
        await _stripe.StartAsync();
        _hook = new WebhookRecorder();
        await _hook.StartAsync();
        _stripe.Webhooks.Configure(_hook.Endpoint, WebhookSecret);
        _stripe.Webhooks.RetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)];
        _client = new StripeClient(apiKey: _stripe.ApiKey, apiBase: _stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _stripe.DisposeAsync();
        await _hook.DisposeAsync();
    }

    private async Task<Price> CreateMonthlyPriceAsync(string lookupKey, long amount)
    {
        var productId = "prod_" + lookupKey;
        if (_stripe.Prices().All(p => p["product"]!.GetValue<string>() != productId))
        {
            await new ProductService(_client).CreateAsync(new ProductCreateOptions { Id = productId, Name = lookupKey });
        }

        return await new PriceService(_client).CreateAsync(new PriceCreateOptions
        {
            Product = productId,
            UnitAmount = amount,
            Currency = "usd",
            LookupKey = lookupKey,
            TransferLookupKey = true,
            Recurring = new PriceRecurringOptions { Interval = lookupKey.EndsWith("yearly", StringComparison.Ordinal) ? "year" : "month" },
        });
    }

    private async Task<Session> CheckoutAsync(string priceId, string customerId) =>
        await new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            ClientReferenceId = "user-1",
            SuccessUrl = "https://app.example/success?session_id={CHECKOUT_SESSION_ID}",
            CancelUrl = "https://app.example/cancel",
            LineItems = [new SessionLineItemOptions { Price = priceId, Quantity = 1 }],
            Metadata = new Dictionary<string, string> { ["keycloak_user_id"] = "user-1" },
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string> { ["tier"] = "starter" } },
        });

    [Test]
    public async Task The_hosted_checkout_can_be_clicked_through_paying_authenticating_or_going_back()
    {
        var starter = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customers = new CustomerService(_client);
        var paid = await CheckoutAsync(starter.Id, (await customers.CreateAsync(new CustomerCreateOptions())).Id);
        var secure = await CheckoutAsync(starter.Id, (await customers.CreateAsync(new CustomerCreateOptions())).Id);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _stripe.BaseUrl };

        var page = await browser.GetStringAsync(new Uri(paid.Url).PathAndQuery);
        using var pay = await browser.PostAsync($"checkout/{paid.Id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["card"] = "4242 4242 4242 4242" }));
        using var needsAuthentication = await browser.PostAsync($"checkout/{secure.Id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["card"] = StripeStandIn.CardNeedsAuthentication }));
        using var authenticated = await browser.PostAsync($"checkout/{secure.Id}/authenticate", null);
        var afterAuthentication = await new SessionService(_client).GetAsync(secure.Id);

        Assert.That(page, Does.Contain("name=\"card\"").And.Contain("href=\"https://app.example/cancel\""), "a card field and a way back");
        Assert.That(pay.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(pay.Headers.Location!.AbsoluteUri, Is.EqualTo($"https://app.example/success?session_id={paid.Id}"));
        Assert.That(await needsAuthentication.Content.ReadAsStringAsync(), Does.Contain("3-D Secure"));
        Assert.That(authenticated.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(afterAuthentication.Status, Is.EqualTo("complete"));
    }

    [Test]
    public async Task A_wrong_secret_key_is_refused_with_Stripes_401_envelope()
    {
        var client = new StripeClient(apiKey: "sk_test_wrong_key_123", apiBase: _stripe.BaseUrl.AbsoluteUri.TrimEnd('/'));

        var error = await Assert.ThrowsAsync<StripeException>(() => new CustomerService(client).CreateAsync(new CustomerCreateOptions()));

        Assert.That(error!.HttpStatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(error.StripeError.Type, Is.EqualTo("invalid_request_error"));
        Assert.That(error.StripeError.Message, Does.Not.Contain("sk_test_wrong_key_123"));
    }

    [Test]
    public async Task Customers_keep_their_metadata_and_are_found_again_by_id()
    {
        var created = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions
        {
            Email = "ada@example.com",
            Metadata = new Dictionary<string, string> { ["keycloak_user_id"] = "u-1" },
        });

        var found = await new CustomerService(_client).GetAsync(created.Id);

        Assert.That(created.Id, Does.StartWith("cus_"));
        Assert.That(found.Email, Is.EqualTo("ada@example.com"));
        Assert.That(found.Metadata["keycloak_user_id"], Is.EqualTo("u-1"));
    }

    [Test]
    public async Task The_same_idempotency_key_replays_the_first_answer_and_refuses_other_parameters()
    {
        var service = new CustomerService(_client);
        var options = new RequestOptions { IdempotencyKey = "customer-u-1" };

        var first = await service.CreateAsync(new CustomerCreateOptions { Email = "a@example.com" }, options);
        var second = await service.CreateAsync(new CustomerCreateOptions { Email = "a@example.com" }, options);
        var error = await Assert.ThrowsAsync<StripeException>(() => service.CreateAsync(new CustomerCreateOptions { Email = "b@example.com" }, options));

        Assert.That(second.Id, Is.EqualTo(first.Id));
        Assert.That(_stripe.CustomerCount, Is.EqualTo(1));
        Assert.That(error!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(error.StripeError.Type, Is.EqualTo("idempotency_error"));
    }

    [Test]
    public async Task Prices_are_found_by_lookup_key_and_a_taken_key_moves_only_when_transferred()
    {
        var first = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var prices = new PriceService(_client);

        var taken = await Assert.ThrowsAsync<StripeException>(() => prices.CreateAsync(new PriceCreateOptions
        {
            Product = first.ProductId,
            UnitAmount = 2500,
            Currency = "usd",
            LookupKey = "starter_monthly",
            Recurring = new PriceRecurringOptions { Interval = "month" },
        }));
        var moved = await CreateMonthlyPriceAsync("starter_monthly", 2500);
        var found = await prices.ListAsync(new PriceListOptions { LookupKeys = ["starter_monthly"] });

        Assert.That(taken!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(found.Data.Select(p => p.Id), Is.EqualTo(new[] { moved.Id }));
        Assert.That(found.Data[0].UnitAmount, Is.EqualTo(2500));
        Assert.That((await prices.GetAsync(first.Id)).LookupKey, Is.Null);
    }

    [Test]
    public async Task Lists_page_with_limit_and_starting_after()
    {
        await CreateMonthlyPriceAsync("a_monthly", 100);
        await CreateMonthlyPriceAsync("b_monthly", 200);
        await CreateMonthlyPriceAsync("c_monthly", 300);
        var prices = new PriceService(_client);

        var page1 = await prices.ListAsync(new PriceListOptions { Limit = 2 });
        var page2 = await prices.ListAsync(new PriceListOptions { Limit = 2, StartingAfter = page1.Data[^1].Id });

        Assert.That(page1.HasMore, Is.True);
        Assert.That(page2.HasMore, Is.False);
        Assert.That(page1.Data.Concat(page2.Data).Select(p => p.Id).Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task A_paid_checkout_creates_an_active_subscription_in_current_shapes_and_signs_its_webhooks()
    {
        var price = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var session = await CheckoutAsync(price.Id, customer.Id);

        var reply = _stripe.CompleteCheckout(session.Id, StripeStandIn.CardSucceeds);
        await _stripe.Webhooks.WaitUntilIdleAsync(TimeSpan.FromSeconds(10));

        Assert.That(reply.Status, Is.EqualTo(200));
        var completed = await new SessionService(_client).GetAsync(session.Id);
        var subscription = await new SubscriptionService(_client).GetAsync(completed.SubscriptionId);
        Assert.That(subscription.Status, Is.EqualTo("active"));
        Assert.That(subscription.Items.Data[0].Price.LookupKey, Is.EqualTo("starter_monthly"));
        Assert.That(subscription.Items.Data[0].CurrentPeriodEnd, Is.GreaterThan(subscription.Items.Data[0].CurrentPeriodStart));
        Assert.That(subscription.Metadata["tier"], Is.EqualTo("starter"));

        var posts = _hook.Requests.Matching("POST", "/hook");
        Assert.That(posts.Select(p => JsonNode.Parse(p.Body)!["type"]!.GetValue<string>()), Is.EqualTo(new[] { "checkout.session.completed", "customer.subscription.created", "invoice.paid" }));
        foreach (var post in posts)
        {
            var parsed = EventUtility.ConstructEvent(post.Body, post.Headers["Stripe-Signature"], WebhookSecret);
            Assert.That(parsed.ApiVersion, Is.EqualTo(StripeStandIn.ApiVersion));
        }

        var invoicePaid = EventUtility.ParseEvent(posts[2].Body);
        var invoice = (Invoice)invoicePaid.Data.Object;
        Assert.That(invoice.Status, Is.EqualTo("paid"));
        Assert.That(invoice.Parent.SubscriptionDetails.SubscriptionId, Is.EqualTo(subscription.Id));
    }

    [Test]
    public async Task A_declined_card_is_a_402_card_error_and_leaves_the_session_open()
    {
        var price = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var session = await CheckoutAsync(price.Id, customer.Id);

        var reply = _stripe.CompleteCheckout(session.Id, StripeStandIn.CardDeclines);

        Assert.That(reply.Status, Is.EqualTo(402));
        Assert.That(reply.Body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("card_declined"));
        Assert.That((await new SessionService(_client).GetAsync(session.Id)).Status, Is.EqualTo("open"));
    }

    [Test]
    public async Task A_card_needing_authentication_stays_incomplete_until_3DS_passes()
    {
        var price = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var session = await CheckoutAsync(price.Id, customer.Id);

        var reply = _stripe.CompleteCheckout(session.Id, StripeStandIn.CardNeedsAuthentication);
        var subscriptionId = reply.Body["subscription"]!.GetValue<string>();
        var before = await new SubscriptionService(_client).GetAsync(subscriptionId);
        _stripe.Authenticate3DSecure(reply.Body["invoice"]!.GetValue<string>());
        var after = await new SubscriptionService(_client).GetAsync(subscriptionId);

        Assert.That(before.Status, Is.EqualTo("incomplete"));
        Assert.That(after.Status, Is.EqualTo("active"));
    }

    [Test]
    public async Task Listing_subscriptions_leaves_out_canceled_ones_unless_asked_and_deleted_customers_are_never_listed()
    {
        var starter = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customers = new CustomerService(_client);
        var kept = await customers.CreateAsync(new CustomerCreateOptions());
        var gone = await customers.CreateAsync(new CustomerCreateOptions());
        var live = _stripe.CompleteCheckout((await CheckoutAsync(starter.Id, kept.Id)).Id, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        var ended = _stripe.CompleteCheckout((await CheckoutAsync(starter.Id, gone.Id)).Id, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        await customers.DeleteAsync(gone.Id);
        var subscriptions = new SubscriptionService(_client);

        var byDefault = await subscriptions.ListAsync(new SubscriptionListOptions());
        var all = await subscriptions.ListAsync(new SubscriptionListOptions { Status = "all" });
        var listedCustomers = await customers.ListAsync(new CustomerListOptions());
        var deleted = await customers.GetAsync(gone.Id);

        Assert.That(byDefault.Data.Select(s => s.Id), Is.EqualTo(new[] { live }), "Stripe leaves canceled subscriptions out unless a status is given");
        Assert.That(all.Data.Select(s => s.Id), Is.EquivalentTo(new[] { live, ended }));
        Assert.That(listedCustomers.Data.Select(c => c.Id), Is.EqualTo(new[] { kept.Id }));
        Assert.That(deleted.Deleted, Is.True, "a deleted customer is still answered, marked deleted");
    }

    [Test]
    public async Task Subscriptions_change_price_with_proration_preview_cancel_at_period_end_and_cancel_now()
    {
        var starter = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var pro = await CreateMonthlyPriceAsync("professional_monthly", 4900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var session = await CheckoutAsync(starter.Id, customer.Id);
        var subscriptionId = _stripe.CompleteCheckout(session.Id, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        var subscriptions = new SubscriptionService(_client);
        var itemId = (await subscriptions.GetAsync(subscriptionId)).Items.Data[0].Id;

        var preview = await new InvoiceService(_client).CreatePreviewAsync(new InvoiceCreatePreviewOptions
        {
            Customer = customer.Id,
            Subscription = subscriptionId,
            SubscriptionDetails = new InvoiceSubscriptionDetailsOptions
            {
                Items = [new InvoiceSubscriptionDetailsItemOptions { Id = itemId, Price = pro.Id }],
                ProrationBehavior = "create_prorations",
            },
        });
        var changed = await subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions
        {
            Items = [new SubscriptionItemOptions { Id = itemId, Price = pro.Id }],
            ProrationBehavior = "create_prorations",
            Metadata = new Dictionary<string, string> { ["tier"] = "professional" },
        });
        var badProration = await Assert.ThrowsAsync<StripeException>(() => subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { ProrationBehavior = "sometimes" }));
        var atPeriodEnd = await subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true });
        var canceled = await subscriptions.CancelAsync(subscriptionId);
        var invoices = await new InvoiceService(_client).ListAsync(new InvoiceListOptions { Customer = customer.Id });

        Assert.That(preview.Lines.Data.Count(l => l.Parent.SubscriptionItemDetails.Proration), Is.EqualTo(2));
        Assert.That(preview.Total, Is.GreaterThan(4900 - 1));
        Assert.That(changed.Items.Data[0].Price.LookupKey, Is.EqualTo("professional_monthly"));
        Assert.That(changed.Metadata["tier"], Is.EqualTo("professional"));
        Assert.That(badProration!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(atPeriodEnd.CancelAtPeriodEnd, Is.True);
        Assert.That(atPeriodEnd.CancelAt, Is.EqualTo(atPeriodEnd.Items.Data[0].CurrentPeriodEnd));
        Assert.That(canceled.Status, Is.EqualTo("canceled"));
        Assert.That(invoices.Data, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Payment_methods_of_a_customer_are_listed_with_card_details()
    {
        var price = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        _stripe.CompleteCheckout((await CheckoutAsync(price.Id, customer.Id)).Id, StripeStandIn.CardSucceeds);

        var methods = await new CustomerPaymentMethodService(_client).ListAsync(customer.Id, new CustomerPaymentMethodListOptions { Type = "card" });
        var refreshed = await new CustomerService(_client).GetAsync(customer.Id);

        Assert.That(methods.Data, Has.Count.EqualTo(1));
        Assert.That(methods.Data[0].Card.Last4, Is.EqualTo("4242"));
        Assert.That(methods.Data[0].Card.Brand, Is.EqualTo("visa"));
        Assert.That(refreshed.InvoiceSettings.DefaultPaymentMethodId, Is.EqualTo(methods.Data[0].Id));
    }

    [Test]
    public async Task Unknown_resources_are_404_resource_missing()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => new SubscriptionService(_client).GetAsync("sub_missing"));

        Assert.That(error!.HttpStatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(error.StripeError.Code, Is.EqualTo("resource_missing"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Injected_faults_answer_500_then_429_with_retry_after_then_recover()
    {
        using var http = new HttpClient { BaseAddress = _stripe.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _stripe.ApiKey);
        _stripe.Faults.FailNext(1, FaultKind.ServerError);
        _stripe.Faults.FailNext(1, FaultKind.TooManyRequests);

        using var first = await http.GetAsync("v1/prices");
        using var second = await http.GetAsync("v1/prices");
        using var third = await http.GetAsync("v1/prices");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(second.Headers.RetryAfter, Is.Not.Null);
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_stripe.Requests.Count("GET", "/v1/prices"), Is.EqualTo(3));
    }

    [Test]
    public async Task A_timeout_fault_holds_the_answer_until_the_client_gives_up()
    {
        using var http = new HttpClient { BaseAddress = _stripe.BaseUrl, Timeout = TimeSpan.FromMilliseconds(300) };
        _stripe.Faults.FailNext(1, FaultKind.Timeout);

        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync("v1/prices"));
    }

    [Test]
    public async Task Delivered_events_can_be_retrieved_by_id()
    {
        var price = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        _stripe.CompleteCheckout((await CheckoutAsync(price.Id, customer.Id)).Id, StripeStandIn.CardSucceeds);
        var emitted = _stripe.Events().First();

        var retrieved = await new EventService(_client).GetAsync(emitted["id"]!.GetValue<string>());

        Assert.That(retrieved.Type, Is.EqualTo(emitted["type"]!.GetValue<string>()));
        Assert.That(retrieved.ApiVersion, Is.EqualTo(StripeStandIn.ApiVersion));
    }

    [Test]
    public async Task A_refused_connection_fails_the_call_at_the_transport()
    {
        using var http = new HttpClient { BaseAddress = _stripe.BaseUrl };
        _stripe.Faults.FailNext(1, FaultKind.RefuseConnection);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("v1/prices"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Webhooks_are_retried_while_the_endpoint_fails_and_can_be_duplicated_and_reversed()
    {
        var price = await CreateMonthlyPriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        _hook.AnswerNext(500);
        _stripe.Webhooks.Copies = 2;
        _stripe.Webhooks.Order = DeliveryOrder.Reversed;

        _stripe.CompleteCheckout((await CheckoutAsync(price.Id, customer.Id)).Id, StripeStandIn.CardSucceeds);
        await _stripe.Webhooks.WaitUntilIdleAsync(TimeSpan.FromSeconds(10));

        var deliveries = _stripe.Webhooks.Deliveries;
        Assert.That(deliveries.Count(d => d.StatusCode == 200), Is.EqualTo(6));
        Assert.That(deliveries.Count(d => d.StatusCode == 500), Is.EqualTo(1));
        Assert.That(deliveries.First().Type, Is.EqualTo("invoice.paid"));
        Assert.That(deliveries.Single(d => d.StatusCode == 500).Attempt, Is.EqualTo(1));
    }
}
