using Billing.Api.Tests.Support;
using Billing.Sandbox.BillingPage;
using Billing.Sandbox.Stripe;
using Billing.Sandbox.Keycloak;
using Microsoft.Playwright;

namespace Billing.Api.Tests;

/// <summary>
/// The sample billing page (<c>samples/billing-spa</c>) in Debian's Chromium: a user signs in through Keycloak's login
/// page (code flow with PKCE), picks a plan, pays on Stripe's hosted page and comes back to an active subscription,
/// changes tier with its preview, schedules a downgrade and keeps the plan, cancels and resumes; a declined card and a 3-D Secure card take their own ways.
/// The page calls the API from its own origin, so CORS is exercised as in production.
/// </summary>
[NonParallelizable]
public sealed class BillingPageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private BillingApp _app = null!;
    private BillingPageHost _page = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore("Debian's chromium is not installed (.ci/run installs it).");
        }

        var dist = BillingPageHost.BuiltPage(Repository.Root) ?? await BuildPageAsync();
        _page = new BillingPageHost(dist);
        await _page.StartAsync();
        var origin = _page.Origin;
        _app = await BillingApp.StartWithCatalogAsync(configure: s =>
        {
            s["BILLING_CORS_ORIGINS"] = origin;
            s["STRIPE_SUCCESS_URL"] = $"{origin}/?checkout=success";
            s["STRIPE_CANCEL_URL"] = $"{origin}/?checkout=canceled";
            s["STRIPE_PORTAL_RETURN_URL"] = $"{origin}/";
            s["Billing:Organizations:Enabled"] = "true";

            // A catalog in euros, so the hosted page offers SEPA Direct Debit beside cards.
            s["Billing:Catalog:Currency"] = "eur";
            s["Billing:Checkout:PaymentMethodTypes"] = "card,sepa_debit";
        });
        _app.Keycloak.OrganizationsEnabled = true;
        _app.Keycloak.AddPublicClient(BillingPageHost.ClientId, $"{origin}/*");
        _page.ApiBase = _app.AddKestrelHost();
        _page.KeycloakUrl = _app.Keycloak.BaseUrl;
        _page.Realm = _app.Keycloak.Realm;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_page is not null)
        {
            await _page.DisposeAsync();
        }
    }

    /// <summary>The page is built from its sources with npm (ci, then build), once, when no build is there.</summary>
    private static async Task<string> BuildPageAsync()
    {
        var folder = Repository.PathOf("samples", "billing-spa");
        await Repository.NpmAsync(folder, "ci --no-audit --no-fund");
        await Repository.NpmAsync(folder, "run build");
        return BillingPageHost.BuiltPage(Repository.Root)!;
    }

    /// <summary>A new user, signed in through the Keycloak stand-in's login page, on the billing page.</summary>
    private async Task<IPage> SignedInAsync(string[]? roles = null, Action<KeycloakUser>? before = null)
    {
        var name = $"pw{Guid.NewGuid():N}"[..12];
        var user = _app.Keycloak.AddUser(name, $"{name}@example.com", "Secret-pw-1", roles);
        before?.Invoke(user);
        var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_page.Origin);
        await page.ClickAsync("#sign-in");
        await page.FillAsync("#username", name);
        await page.FillAsync("#password", "Secret-pw-1");
        await page.ClickAsync("#kc-login");
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync($"{name}@example.com");
        return page;
    }

    private static async Task PayAsync(IPage page, string tier, string card)
    {
        await page.ClickAsync($"[data-tier={tier}] button[data-cycle=monthly]");
        await page.WaitForURLAsync("**/checkout/**");
        await page.FillAsync("input[name=card]", card);
        await page.ClickAsync("form button");
    }

    [Test]
    public async Task A_user_signs_in_subscribes_on_the_hosted_page_and_comes_back_to_an_active_subscription()
    {
        var page = await SignedInAsync();
        await Assertions.Expect(page.Locator("#plans .plan")).ToHaveCountAsync(4);

        await PayAsync(page, "professional", StripeStandIn.CardSucceeds);

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("active", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#tier")).ToHaveTextAsync("professional");
        await Assertions.Expect(page.Locator("#cards li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#invoices tbody tr")).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "billing-page-active.png"), FullPage = true });
    }

    [Test]
    public async Task A_manager_subscribes_the_team_for_its_members_and_sets_its_seats()
    {
        var teammate = _app.Keycloak.AddUser($"tm{Guid.NewGuid():N}"[..12]);
        KeycloakOrganization? team = null;
        var page = await SignedInAsync(["billing-org-admin"], manager => team = _app.Keycloak.AddOrganization($"Team {Guid.NewGuid():N}"[..13], memberIds: [manager.Id, teammate.Id]));
        var card = page.Locator($"[data-organization='{team!.Id}']");
        await Assertions.Expect(card.Locator(".team-status")).ToHaveTextAsync("No team subscription yet.");

        await card.Locator("button[data-tier=professional]").ClickAsync();
        await page.WaitForURLAsync("**/checkout/**");
        await page.FillAsync("input[name=card]", StripeStandIn.CardSucceeds);
        await page.ClickAsync("form button");

        // Back on the page, which shows the team once Stripe's webhook made its subscription live.
        await Assertions.Expect(card.Locator(".team-status")).ToHaveTextAsync("professional, active, 2 seats", new() { Timeout = 45_000 });
        await card.Locator("input[type=number]").FillAsync("4");
        await card.Locator("button", new() { HasText = "Set seats" }).ClickAsync();
        await Assertions.Expect(card.Locator(".team-status")).ToHaveTextAsync("professional, active, 4 seats");
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("now has 4 seats");
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "billing-page-team.png"), FullPage = true });
    }

    [Test]
    public async Task A_user_changes_tier_after_seeing_the_preview_then_cancels_and_resumes()
    {
        var page = await SignedInAsync();
        await PayAsync(page, "starter", StripeStandIn.CardSucceeds);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("active", new() { Timeout = 20_000 });

        await page.SelectOptionAsync("#change-tier", "enterprise");
        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#preview-result")).ToContainTextAsync("Due now");
        await page.ClickAsync("#confirm-change");
        await Assertions.Expect(page.Locator("#tier")).ToHaveTextAsync("enterprise", new() { Timeout = 20_000 });

        // A downgrade waits for the end of the period: nothing due now, the page says when, and the user can keep the plan.
        await page.SelectOptionAsync("#change-tier", "professional");
        await page.ClickAsync("#preview");
        await Assertions.Expect(page.Locator("#preview-result")).ToContainTextAsync("Nothing is due now");
        await page.ClickAsync("#confirm-change");
        await Assertions.Expect(page.Locator("#scheduled-text")).ToContainTextAsync("Changes to professional (monthly)", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#tier")).ToHaveTextAsync("enterprise");
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "billing-page-scheduled-downgrade.png"), FullPage = true });
        await page.ClickAsync("#keep-plan");
        await Assertions.Expect(page.Locator("#scheduled")).ToBeHiddenAsync(new() { Timeout = 20_000 });

        await page.ClickAsync("#cancel");
        await Assertions.Expect(page.Locator("#period")).ToContainTextAsync("ends", new() { Timeout = 20_000 });
        await page.ClickAsync("#resume");
        await Assertions.Expect(page.Locator("#period")).ToContainTextAsync("renews", new() { Timeout = 20_000 });
    }

    [Test]
    public async Task A_declined_card_is_told_on_the_hosted_page_and_nothing_is_subscribed()
    {
        var page = await SignedInAsync();

        await PayAsync(page, "starter", StripeStandIn.CardDeclines);

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("declined");
        await page.GotoAsync(_page.Origin);
        await Assertions.Expect(page.Locator("#pricing")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#account")).ToBeHiddenAsync();
    }

    [Test]
    public async Task A_card_that_needs_3d_secure_is_confirmed_on_the_hosted_page_and_the_subscription_goes_live()
    {
        var page = await SignedInAsync();

        await PayAsync(page, "starter", StripeStandIn.CardNeedsAuthentication);
        await page.ClickAsync("#authenticate");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("active", new() { Timeout = 20_000 });
    }

    [Test]
    public async Task A_bank_debit_shows_as_on_its_way_until_the_bank_confirms_it()
    {
        var page = await SignedInAsync();

        await PayAsync(page, "starter", StripeStandIn.IbanSucceeds);

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("pending_payment", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#action")).ToContainTextAsync("Your bank payment is on its way");
        await Assertions.Expect(page.Locator("#cards li")).ToHaveTextAsync($"SEPA DEBIT •••• {StripeStandIn.IbanSucceeds[^4..]} (bank account) (default)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "billing-page-debit-pending.png"), FullPage = true });

        _app.Stripe.SettleDebits();
        await _app.SettleAsync();
        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("active", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#action")).ToBeHiddenAsync();
    }
}
