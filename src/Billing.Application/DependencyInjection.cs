using Billing.Application.AccountSync;
using Billing.Application.Common;
using Billing.Application.Common.Behaviours;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Common.Limits;
using Billing.Application.Subscriptions.ChangeTier;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Application;

public static class DependencyInjection
{
    /// <summary>Handlers, validators and the pipeline: logging, then validation, then the unit of work (commands only).</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(DependencyInjection)];
            options.PipelineBehaviors =
            [
                typeof(LoggingBehaviour<,>),
                typeof(ValidationBehaviour<,>),
                typeof(Organizations.OrganizationAccessBehaviour<,>),
                typeof(AuditBehaviour<,>),
                typeof(RequestBudgetBehaviour<,>),
                typeof(UnitOfWorkBehaviour<,>),
            ];
        });
        services.AddValidatorsFromAssemblyContaining(typeof(DependencyInjection), ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddSingleton(sp => new PlanCatalog(sp.GetRequiredService<IOptions<PlanCatalogOptions>>().Value));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<PaymentCustomers>();
        services.AddScoped<Organizations.SeatPolicy>();
        services.AddScoped<Organizations.MemberAccess>();
        services.AddScoped<Organizations.TeamSeats>();
        services.AddScoped<PlanPrices>();
        services.AddScoped<Accounts.SubscriptionChanges>();
        services.AddScoped<Invoices.InvoiceRecorder>();
        services.AddScoped<Catalog.Publish.CouponPublisher>();
        services.AddScoped<Catalog.Publish.EntitlementPublisher>();
        services.AddScoped<Catalog.Publish.PortalConfigurationPublisher>();
        services.AddScoped<Promotions.PromotionCodeCheck>();
        services.AddScoped<SyncPlan>();
        services.AddScoped<Webhooks.Apply.AccountNotices>();
        services.AddScoped<Webhooks.Process.ClaimedEventApplier>();
        services.AddScoped<StripeCallCounter>();
        services.AddOptions<RequestBudgetOptions>().ValidateOnStart()
            .Validate(o => o.PermitLimit > 0, "Billing:RateLimit:PermitLimit must be a positive number of requests.")
            .Validate(o => o.Window > TimeSpan.Zero, "Billing:RateLimit:Window must be a positive duration.");
        services.AddScoped<TierChangePlanner>();
        services.AddScoped<Subscriptions.ScheduledChanges.ScheduledChangeRelease>();
        services.AddSingleton<SubscriptionTranslator>();
        services.AddScoped<StripeSubscriptionApplier>();
        services.AddScoped<SubscriptionReads>();
        services.AddScoped<Admin.Reconcile.DeliveredStateCheck>();
        services.AddSingleton<BillingMetrics>();
        services.AddOptions<BillingOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddOptions<PlanCatalogOptions>();
        return services;
    }
}
