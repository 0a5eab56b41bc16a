namespace Billing.Domain.Disputes;

/// <summary>
/// A customer's bank disputing a payment. Open while Stripe waits on evidence or the bank's decision; a lost one
/// took the money back; a won one (or an inquiry closed as a warning) did not.
/// </summary>
public sealed class PaymentDispute
{
    private PaymentDispute()
    {
        Id = UserId = Currency = string.Empty;
    }

    public string Id { get; private set; }

    public string UserId { get; private set; }

    public string? InvoiceId { get; private set; }

    public long Amount { get; private set; }

    public string Currency { get; private set; }

    public string? Reason { get; private set; }

    public DisputeStatus Status { get; private set; }

    public DateTimeOffset? DueBy { get; private set; }

    public DateTimeOffset Created { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool IsOpen => Status is not (DisputeStatus.Won or DisputeStatus.Lost or DisputeStatus.WarningClosed or DisputeStatus.Prevented);

    /// <summary>The money is, or may end up, back with the customer: the dispute is open, or it was lost.</summary>
    public bool AgainstUs => IsOpen || Status == DisputeStatus.Lost;

    public static PaymentDispute Open(DisputeFacts facts, string userId, string? invoiceId)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var dispute = new PaymentDispute { Id = facts.Id, UserId = userId, InvoiceId = invoiceId, Created = facts.Created, Currency = facts.Currency, Status = facts.Status };
        dispute.Apply(facts, facts.Created);
        return dispute;
    }

    /// <summary>Applies a report; a closed dispute stays closed whatever older report arrives after.</summary>
    public bool Apply(DisputeFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (ClosedAt is not null && facts.Status != Status)
        {
            return false;
        }

        var changed = Status != facts.Status || Amount != facts.Amount || DueBy != facts.DueBy;
        Status = facts.Status;
        Amount = facts.Amount;
        Reason = facts.Reason ?? Reason;
        DueBy = facts.DueBy;
        if (!IsOpen)
        {
            ClosedAt ??= now;
        }

        return changed;
    }
}
