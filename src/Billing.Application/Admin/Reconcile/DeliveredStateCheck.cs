using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Microsoft.Extensions.Options;

namespace Billing.Application.Admin.Reconcile;

/// <summary>
/// Whether Keycloak and Lago hold what the account says, for an account that agrees with Stripe and has no delivery
/// pending to them; a target out of step gets the state again through the outbox (unless a dry run).
/// </summary>
public sealed class DeliveredStateCheck(IIdentityDirectory directory, IUsageLedger ledger, ISyncOutbox outbox, Organizations.MemberAccess access, IOptions<BillingOptions> options)
{
    public async Task<IReadOnlyList<DriftFinding>> CompareAsync(BillingAccount account, bool dryRun, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var findings = new List<DriftFinding>();
        var pending = (await outbox.ListAsync(SyncStatus.Pending, account.UserId, 20, cancellationToken)).Select(m => m.Target).ToHashSet();
        var state = AccountState.Of(AccountProjection.Of(account, now, options.Value), null);
        if (!pending.Contains(SyncTarget.IdentityDirectory))
        {
            // Keycloak holds a user's access, which a team may give: compared with that, so a member out of step is repaired.
            // An organization's members are compared too: one who left or joined is repaired by sending the organization again.
            var held = await access.StateOfAsync(account, null, cancellationToken);
            var compared = held.IsSuccess ? await directory.CompareAsync(held.Value, cancellationToken) : held.Error!;
            if (compared.IsSuccess)
            {
                var members = await access.CompareMembersAsync(account, cancellationToken);
                compared = members.IsSuccess ? Result<IReadOnlyList<SyncDrift>>.Success([.. compared.Value, .. members.Value]) : members.Error!;
            }

            Compare(account, dryRun, SyncTarget.IdentityDirectory, "Keycloak", compared, findings);
        }

        if (ledger.Enabled && !pending.Contains(SyncTarget.UsageLedger))
        {
            Compare(account, dryRun, SyncTarget.UsageLedger, "Lago", await ledger.CompareAsync(state, cancellationToken), findings);
        }

        return findings;
    }

    private void Compare(BillingAccount account, bool dryRun, SyncTarget target, string name, Result<IReadOnlyList<SyncDrift>> compared, List<DriftFinding> findings)
    {
        if (!compared.IsSuccess)
        {
            findings.Add(new DriftFinding(account.UserId, DriftKinds.CheckFailed, $"{name} could not be compared: {compared.Error!.Detail}", false));
            return;
        }

        // Only a user the directory lacks cannot be repaired from here: the service never creates users.
        var repairable = compared.Value.Where(d => d.Kind != SyncDrift.IdentityUserMissing).ToList();
        findings.AddRange(compared.Value.Select(d => new DriftFinding(account.UserId, d.Kind, d.Detail, !dryRun && repairable.Contains(d))));
        if (repairable.Count > 0 && !dryRun)
        {
            outbox.Resend(account, target);
        }
    }
}
