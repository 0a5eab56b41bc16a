using Billing.Application.Accounts;
using Billing.Application.Common;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;

namespace Billing.Application.Organizations;

/// <summary>
/// What Keycloak holds for a user is their access: the higher of their own subscription and those of the
/// organizations they belong to, with <c>billing_organization_id</c> naming the organization it comes from. An
/// organization's account is written on the organization, then its members' access is written again, and that of
/// users whose access came from it but who left, so a change of the team reaches every member in one delivery.
/// </summary>
public sealed class MemberAccess(IIdentityDirectory identity, IOrganizationDirectory organizations, IBillingAccountRepository accounts, TeamSeats seats, Catalog.PlanCatalog catalog, TimeProvider clock, IOptions<BillingOptions> options)
{
    private bool Enabled => options.Value.Organizations.Enabled;

    /// <summary>
    /// The state Keycloak should hold for the account: an organization's own; a user's access. Either way with the
    /// entitlements of the tier it gates (when the catalog names any).
    /// </summary>
    public async Task<Result<AccountState>> StateOfAsync(BillingAccount account, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var own = AccountState.Of(AccountProjection.Of(account, clock.GetUtcNow(), options.Value), name);
        var state = account.OrganizationId is not null || !Enabled ? own : await WithOrganizationsAsync(own, cancellationToken);
        return state.IsSuccess && catalog.HasEntitlements ? state.Value with { Entitlements = catalog.EntitlementsJson(state.Value.Tier) } : state;
    }

    /// <summary>A user's access by their id, whether or not they have an account of their own here.</summary>
    public async Task<Result<AccountState>> AccessOfAsync(string userId, CancellationToken cancellationToken) =>
        await StateOfAsync(await accounts.FindAsync(userId, cancellationToken) ?? BillingAccount.Open(userId, string.Empty, clock.GetUtcNow()), null, cancellationToken);

    /// <summary>Writes the account to Keycloak: a user's access, or an organization and the access of its members (and leavers).</summary>
    public async Task<Result<string>> PublishAsync(BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.OrganizationId is not null && Enabled && options.Value.Organizations.SeatsFollowMembers && account.HasLiveSubscription)
        {
            // A team's delivery is when its members are counted: seats that follow them catch up here, in one Stripe
            // update (none when right); the change reaches Keycloak and Lago as a change of its own.
            var caughtUp = await seats.SetAsync(account, null, cancellationToken);
            if (!caughtUp.IsSuccess)
            {
                return caughtUp.Error!;
            }
        }

        var state = await StateOfAsync(account, null, cancellationToken);
        if (!state.IsSuccess)
        {
            return state.Error!;
        }

        var written = await identity.PublishAsync(state.Value, cancellationToken);
        if (!written.IsSuccess || account.OrganizationId is not { } organization || !Enabled)
        {
            return written;
        }

        var found = await UsersOfAsync(organization, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var users = found.Value;
        foreach (var userId in users)
        {
            var access = await AccessOfAsync(userId, cancellationToken);
            var memberWritten = access.IsSuccess ? await identity.PublishAsync(access.Value, cancellationToken) : access.Error!;
            if (!memberWritten.IsSuccess)
            {
                return memberWritten.Error!;
            }
        }

        return $"{written.Value} Access of {users.Count} members and former members written.";
    }

    /// <summary>
    /// Where Keycloak's members (and former members) of an organization hold other access than theirs now, one drift
    /// per user out of step; none for a user's own account (their own comparison covers them).
    /// </summary>
    public async Task<Result<IReadOnlyList<SyncDrift>>> CompareMembersAsync(BillingAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.OrganizationId is not { } organization || !Enabled)
        {
            return Result<IReadOnlyList<SyncDrift>>.Success([]);
        }

        var users = await UsersOfAsync(organization, cancellationToken);
        if (!users.IsSuccess)
        {
            return users.Error!;
        }

        var drift = new List<SyncDrift>();
        foreach (var userId in users.Value)
        {
            var access = await AccessOfAsync(userId, cancellationToken);
            var compared = access.IsSuccess ? await identity.CompareAsync(access.Value, cancellationToken) : access.Error!;
            if (!compared.IsSuccess)
            {
                return compared.Error!;
            }

            drift.AddRange(compared.Value.Where(d => d.Kind != SyncDrift.IdentityUserMissing).Select(d => d with { Detail = $"Member {userId}: {d.Detail}" }));
        }

        return drift;
    }

    /// <summary>The organization's members and the users whose access, as last written, came from it.</summary>
    private async Task<Result<IReadOnlyList<string>>> UsersOfAsync(string organization, CancellationToken cancellationToken)
    {
        var members = await organizations.MemberIdsAsync(organization, cancellationToken);
        if (!members.IsSuccess)
        {
            return members.Error!;
        }

        var granted = await organizations.UsersWithAccessFromAsync(organization, cancellationToken);
        return granted.IsSuccess ? members.Value.Union(granted.Value, StringComparer.Ordinal).ToList() : granted.Error!;
    }

    private async Task<Result<AccountState>> WithOrganizationsAsync(AccountState own, CancellationToken cancellationToken)
    {
        var teams = await organizations.OrganizationsOfAsync(own.UserId, cancellationToken);
        if (!teams.IsSuccess)
        {
            return teams.Error!;
        }

        var best = own;
        foreach (var organization in teams.Value.Select(t => t.Id))
        {
            if (await accounts.FindAsync(AccountHolder.ForOrganization(organization), cancellationToken) is not { } team || !team.Status.IsLive())
            {
                continue;
            }

            var theirs = AccountProjection.Of(team, clock.GetUtcNow(), options.Value);
            var (rank, bestRank) = (Rank(theirs.AccessTier), Rank(best.Tier));
            if (rank > bestRank || (rank == bestRank && !best.SubscriptionLive))
            {
                best = own with { Tier = theirs.AccessTier, Status = theirs.Status, SubscriptionLive = true, BillingOrganizationId = organization };
            }
        }

        return best;
    }

    private static int Rank(string tier) => PlanCodes.TryParseTier(tier, out var parsed) ? (int)parsed : -1;
}
