using Billing.Application.Common;
using Billing.Application.Catalog;
using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Infrastructure.Configuration;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Infrastructure.Keycloak;
using Billing.Infrastructure.Lago;
using Billing.Infrastructure.Messaging;
using Billing.Infrastructure.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Refit;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Stripe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// The adapters behind Application's ports. Settings are read from <see cref="IConfiguration"/> when the
    /// container is built, and all of them are checked before the host starts (see <see cref="SettingsCheck"/>).
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        services.AddSingleton(sp => StripeOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => KeycloakOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => LagoOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => SmtpOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => DatabaseOptions.From(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath));

        services.AddOptions<BillingOptions>().Configure<IConfiguration>((o, c) =>
        {
            c.GetSection(BillingOptions.Section).Bind(o);
            o.SuccessUrl = Settings.Read(c, "STRIPE_SUCCESS_URL") ?? o.SuccessUrl;
            o.CancelUrl = Settings.Read(c, "STRIPE_CANCEL_URL") ?? o.CancelUrl;
            o.PortalReturnUrl = Settings.Read(c, "STRIPE_PORTAL_RETURN_URL") ?? o.PortalReturnUrl;
            o.Organizations.BillingRole = Settings.Read(c, "KEYCLOAK_ORG_BILLING_ROLE") ?? o.Organizations.BillingRole;
        });
        services.AddOptions<PlanCatalogOptions>().BindConfiguration(PlanCatalogOptions.Section);
        services.AddOptions<RequestBudgetOptions>().BindConfiguration(RequestBudgetOptions.Section);
        services.AddHostedService<SettingsCheck>();

        AddPersistence(services);
        AddStripe(services);
        AddMessaging(services);
        AddSyncTargets(services);
        return services;
    }

    /// <summary>Reads and checks every setting now, so a bad one stops the start before anything runs (see <see cref="SettingsCheck"/>).</summary>
    public static void CheckSettings(this IServiceProvider services) => SettingsCheck.Check(services);

    /// <summary>Creates and migrates the database before anything is served; an unreachable one is a setting error.</summary>
    public static Task PrepareDatabaseAsync(this IServiceProvider services) =>
        DatabaseMigrator.PrepareAsync(services, services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DatabaseMigrator>>(), CancellationToken.None);

    private static void AddMessaging(IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>(InboxProcessor.OptionsName).BindConfiguration("Billing:Webhooks").Validate(o => o.IsValid, "Billing:Webhooks needs positive BaseDelay, MaxDelay, PollInterval, Lease, RetryHorizon, MaxAttempts and BatchSize.");
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<IInboxSignal>(sp => sp.GetRequiredService<InboxSignal>());
        services.AddSingleton<ReceiptRate>();
        services.AddSingleton<InboxWriter>();
        services.AddSingleton<WorkerWriteTurn>();
        services.AddScoped<IWebhookInbox, WebhookInbox>();
        services.AddHostedService<InboxProcessor>();

        services.AddOptions<WorkerOptions>(OutboxRelay.OptionsName).BindConfiguration("Billing:Sync").Validate(o => o.IsValid, "Billing:Sync needs positive BaseDelay, MaxDelay, PollInterval, Lease, RetryHorizon, MaxAttempts and BatchSize.");
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutboxSignal>(sp => sp.GetRequiredService<OutboxSignal>());
        services.AddScoped<ISyncOutbox, SyncOutbox>();
        services.AddHostedService<OutboxRelay>();
        services.AddOptions<ParkedDeliveryOptions>().BindConfiguration(ParkedDeliveryOptions.Section).Validate(o => o.Interval > TimeSpan.Zero, "Billing:ParkedDeliveries:Interval must be positive.");
        services.AddHostedService<ParkedDeliveryWatcher>();

        services.AddOptions<WorkerOptions>(UsageRelay.OptionsName).BindConfiguration("Billing:Usage").Validate(o => o.IsValid, "Billing:Usage needs positive BaseDelay, MaxDelay, PollInterval, Lease, RetryHorizon, MaxAttempts and BatchSize.");
        services.AddSingleton<UsageSignal>();
        services.AddSingleton<IUsageSignal>(sp => sp.GetRequiredService<UsageSignal>());
        services.AddScoped<IUsageEventStore, UsageEventStore>();
        services.AddHostedService<UsageRelay>();
        services.AddHostedService<BacklogGauges>();
        services.AddSingleton<HealthProbeCache>();
        services.AddHealthChecks()
            .AddCheck<IdentityDirectoryHealthCheck>("keycloak", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(5))
            .AddCheck<UsageLedgerHealthCheck>("lago", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(5))
            .AddCheck<Stripe.StripeApiVersionHealthCheck>("stripe_api_version", HealthStatus.Degraded, ["ready"], TimeSpan.FromSeconds(5));
    }

    /// <summary>Typed Refit clients with timeouts, retries on 5xx/429 with backoff, and a circuit breaker.</summary>
    private static void AddSyncTargets(IServiceCollection services)
    {
        services.AddRefitGeneratedClient<IKeycloakTokenApi>()
            .ConfigureHttpClient((sp, c) => c.BaseAddress = sp.GetRequiredService<KeycloakOptions>().Url)
            .AddStandardResilienceHandler(ConfigureResilience);
        services.AddSingleton<KeycloakAdminToken>();
        services.AddTransient<KeycloakAdminTokenHandler>();
        services.AddRefitGeneratedClient<IKeycloakAdminApi>(new RefitSettings { UrlParameterFormatter = new Http.QueryValueFormatter() })
            .ConfigureHttpClient((sp, c) => c.BaseAddress = sp.GetRequiredService<KeycloakOptions>().Url)
            .AddHttpMessageHandler<KeycloakAdminTokenHandler>()
            .AddStandardResilienceHandler(ConfigureResilience);
        services.AddSingleton<KeycloakProfileCache>();
        services.AddScoped<IIdentityDirectory, KeycloakIdentityDirectory>();
        services.AddRefitGeneratedClient<IKeycloakOrganizationsApi>(new RefitSettings { UrlParameterFormatter = new Http.QueryValueFormatter() })
            .ConfigureHttpClient((sp, c) => c.BaseAddress = sp.GetRequiredService<KeycloakOptions>().Url)
            .AddHttpMessageHandler<KeycloakAdminTokenHandler>()
            .AddStandardResilienceHandler(ConfigureResilience);
        services.AddSingleton<OrganizationMembershipCache>();
        services.AddScoped<KeycloakOrganizationDirectory>();
        services.AddScoped<IOrganizationDirectory>(sp => sp.GetRequiredService<KeycloakOrganizationDirectory>());

        var lagoJson = new RefitSettings(new SystemTextJsonContentSerializer(new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        }))
        {
            UrlParameterFormatter = new Http.QueryValueFormatter(),
        };
        services.AddRefitGeneratedClient<ILagoApi>(lagoJson)
            .ConfigureHttpClient((sp, c) =>
            {
                var lago = sp.GetRequiredService<LagoOptions>();
                c.BaseAddress = lago.ApiUrl ?? new Uri("http://lago.invalid/");
                if (lago.ApiKey is not null)
                {
                    c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", lago.ApiKey);
                }
            })
            .AddStandardResilienceHandler(ConfigureResilience);
        services.AddScoped<IUsageLedger, LagoUsageLedger>();
        services.AddSingleton<INotificationSender, SmtpNotificationSender>();
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        // The outbox retries for hours; the handler only smooths over a blip within one delivery.
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }

    private static void AddStripe(IServiceCollection services)
    {
        services.AddSingleton<IStripeEventReader, StripeEventReader>();
        services.AddOptions<StripeBudgetOptions>().BindConfiguration(StripeBudgetOptions.Section).Validate(o => o.IsValid, "Billing:Stripe needs RequestsPerSecond >= 0, Instances >= 1 and a UserReserve below each instance's share.");
        services.AddSingleton<SharedStripePace>();
        services.AddSingleton(sp => new StripeRequestBudget(
            sp.GetRequiredService<IOptions<StripeBudgetOptions>>(),
            sp.GetRequiredService<BillingMetrics>(),
            sp.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.PostgreSql ? sp.GetRequiredService<SharedStripePace>() : null));
        services.AddHttpClient(StripeClientProvider.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .AddHttpMessageHandler(sp => new StripeBudgetHandler(sp.GetRequiredService<StripeRequestBudget>(), background: false));
        services.AddHttpClient(StripeClientProvider.BackgroundHttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .AddHttpMessageHandler(sp => new StripeBudgetHandler(sp.GetRequiredService<StripeRequestBudget>(), background: true));
        services.AddSingleton<StripeClientProvider>();
        services.AddSingleton<StripeRetryPolicy>();
        // One adapter answers every area of the payment provider; each use case asks only for the port it needs.
        services.AddScoped<StripePaymentGateway>();
        services.AddScoped<ICheckoutGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<ICustomerGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<IPaymentMethodGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<IInvoiceGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<ISubscriptionGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<ISubscriptionScheduleGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<IEntitlementCatalogGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<IPortalConfigurationGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<ICustomerBalanceGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<ICatalogGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
        services.AddScoped<IWebhookEndpointGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
    }

    private static void AddPersistence(IServiceCollection services)
    {
        services.AddSingleton<BillingContextFactory>();
        services.AddScoped<ScopeRole>();
        services.AddScoped<ISeparateScopes, Messaging.SeparateScopes>();
        services.AddScoped(sp => sp.GetRequiredService<BillingContextFactory>().Create(sp.GetRequiredService<ScopeRole>().Worker));
        services.AddScoped<IIdempotencyStore, IdempotencyStore>();
        services.AddScoped<IBillingAccountRepository, BillingAccountRepository>();
        services.AddScoped<IAccountHistory, AccountHistory>();
        services.AddScoped<IBalanceLedger, BalanceLedger>();
        services.AddScoped<IRevenueLedger, RevenueLedger>();
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<IReconciliationLog, ReconciliationLog>();
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.Section).Validate(o => o.IsValid, "Billing:Reconcile:Interval must not be negative.");
        services.AddHostedService<Billing.Infrastructure.Reconciliation.ReconciliationScheduler>();
        services.AddScoped<IPersonalDataEraser, PersonalDataEraser>();
        services.AddScoped<IInvoiceBook, InvoiceBook>();
        services.AddScoped<IDisputeBook, DisputeBook>();
        services.AddScoped<IUserRequestBudget, UserRequestBudget>();
        services.AddScoped<SyncMessageWriter>();
        services.AddScoped<StoreScrub>();
        services.AddScoped<IUnitOfWork, EfUnitOfWork>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddOptions<RetentionOptions>().BindConfiguration("Billing:Retention");
        services.AddSingleton<RetentionSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionSweeper>());
        services.AddHealthChecks().AddDbContextCheck<BillingDbContext>("database", tags: ["ready"]);
    }
}
