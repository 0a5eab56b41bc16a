using Billing.Application.Accounts;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace Billing.Application.Organizations;

/// <summary>
/// Brings a team's subscription to the seats <see cref="SeatPolicy"/> decides: one Stripe update of the item's quantity
/// (prorated as configured), applied to the account; nothing asked of Stripe when the seats are right. Used by the
/// seats endpoints and by the reconciliation (which recounts when the seats follow the members).
/// </summary>
public sealed class TeamSeats(ISubscriptionGateway gateway, SeatPolicy policy, SubscriptionChanges changes, IOptions<BillingOptions> options)
{
    /// <summary>
    /// The seats as decided (from <paramref name="asked"/>, or the members when null), and whether Stripe was changed.
    /// The Stripe request is keyed by the account's stored version and the seats wanted, not by who asks: a sync, a
    /// delivery and the reconciliation that notice the same new member from the same stored state send one update
    /// (Stripe replays it to the others), and whichever commits second re-runs and finds the seats right.
    /// </summary>
    public async Task<Result<(int Seats, bool Changed)>> SetAsync(BillingAccount account, int? asked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.OrganizationId is not { } organization || !account.HasLiveSubscription)
        {
            return OrganizationErrors.NoSubscription;
        }

        var decided = await policy.DecideAsync(organization, account.Tier, asked, cancellationToken);
        if (!decided.IsSuccess)
        {
            return decided.Error!;
        }

        var seats = decided.Value.Seats;
        if (account.Seats == seats)
        {
            // Right already (or set by this very request before it ran again).
            return (seats, false);
        }

        var current = await gateway.GetSubscriptionAsync(account.StripeSubscriptionId!, cancellationToken);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        var key = $"billing-seats-{account.UserId}-v{account.Version}-{seats}";
        var changed = await gateway.ChangeSeatsAsync(new SeatChange(current.Value.Id, current.Value.ItemId, seats, options.Value.ProrationBehavior, key), cancellationToken);
        if (!changed.IsSuccess)
        {
            return changed.Error!;
        }

        var applied = changes.Apply(account, changed.Value);
        return applied.IsSuccess ? (seats, true) : applied.Error!;
    }
}
