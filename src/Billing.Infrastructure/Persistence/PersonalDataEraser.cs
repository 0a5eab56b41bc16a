using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Billing.Infrastructure.Stripe;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The erasure outside the account row, in plain updates: message bodies (they carry the e-mail and name sent to
/// Keycloak, Lago and the mail server) become empty once they no longer wait to be sent, remembered answers go, and
/// stored Stripe events of the customer are minimised again (events stored before minimisation may hold more).
/// </summary>
internal sealed class PersonalDataEraser(BillingDbContext db, StoreScrub scrub) : IPersonalDataEraser
{
    public async Task<IReadOnlyList<string>> EraseAsync(string userId, string? stripeCustomerId, CancellationToken cancellationToken)
    {
        // Once the erasure commits, what the database files still hold of the old values goes too.
        scrub.Request();
        var erased = new List<string>();
        var notices = await db.SyncMessages
            .Where(m => m.UserId == userId && m.Target == SyncTarget.Notification && m.Status == SyncStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SyncStatus.Superseded), cancellationToken);
        if (notices > 0)
        {
            erased.Add($"{notices} e-mail(s) not yet sent (not sent now)");
        }

        var bodies = await db.SyncMessages
            .Where(m => m.UserId == userId && m.Status != SyncStatus.Pending && m.Payload != "{}")
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, "{}"), cancellationToken);
        if (bodies > 0)
        {
            erased.Add($"the bodies of {bodies} message(s) sent to Keycloak, Lago or the mail server");
        }

        // Account states still to be delivered keep everything but the address, which Keycloak and Lago already hold.
        var waiting = await db.SyncMessages.AsNoTracking().Where(m => m.UserId == userId && m.Status == SyncStatus.Pending).Select(m => new { m.Id, m.Payload }).ToListAsync(cancellationToken);
        foreach (var message in waiting)
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(message.Payload) is System.Text.Json.Nodes.JsonObject state &&
                state.Select(p => p.Key).Where(k => k.Equals("email", StringComparison.OrdinalIgnoreCase)).ToList() is { Count: > 0 } keys)
            {
                keys.ForEach(k => state[k] = string.Empty);
                var blanked = state.ToJsonString();
                await db.SyncMessages.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, blanked), cancellationToken);
                erased.Add("the e-mail address in a message to Keycloak or Lago still to be sent");
            }
        }

        var answers = await db.IdempotencyRecords.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var windows = await db.UserRequestWindows.Where(w => w.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        if (answers + windows > 0)
        {
            erased.Add($"{answers} remembered answer(s) to the user's requests and {windows} rate-limit window(s)");
        }

        if (stripeCustomerId is not null)
        {
            var events = await db.StripeEvents.AsNoTracking().Where(e => e.Payload.Contains(stripeCustomerId)).Select(e => new { e.Id, e.Payload }).ToListAsync(cancellationToken);
            var minimised = 0;
            foreach (var evt in events)
            {
                var kept = StripePayloadMinimizer.Minimize(evt.Payload);
                if (kept != evt.Payload)
                {
                    await db.StripeEvents.Where(e => e.Id == evt.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Payload, kept), cancellationToken);
                    minimised++;
                }
            }

            if (minimised > 0)
            {
                erased.Add($"personal data in {minimised} stored Stripe event(s)");
            }
        }

        return erased;
    }
}
