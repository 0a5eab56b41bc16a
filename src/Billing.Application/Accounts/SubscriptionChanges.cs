using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace Billing.Application.Accounts;

/// <summary>
/// What a command that changed a subscription in Stripe does with Stripe's answer: reads it in billing terms,
/// applies it to the account at once (the answer and Keycloak need not wait for the webhook, which then changes
/// nothing), and answers the status as the user now sees it.
/// </summary>
public sealed class SubscriptionChanges(SubscriptionTranslator translator, TimeProvider clock, IOptions<BillingOptions> options)
{
    public Result<SubscriptionStatusView> Apply(BillingAccount account, GatewaySubscription changed)
    {
        ArgumentNullException.ThrowIfNull(account);
        var snapshot = translator.Translate(changed);
        if (!snapshot.IsSuccess)
        {
            return snapshot.Error!;
        }

        var now = clock.GetUtcNow();
        account.ApplyAnswer(snapshot.Value, changed.ObservedAt ?? now);
        return SubscriptionStatusView.Of(account, now, options.Value);
    }
}
