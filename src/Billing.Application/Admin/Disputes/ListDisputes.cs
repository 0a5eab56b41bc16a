using Billing.Domain.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Disputes;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.Disputes;

/// <summary>Disputes, newest first: <c>open</c> (waiting on evidence or the bank), <c>closed</c>, or all.</summary>
public sealed record ListDisputes(string? Status, int Limit = 50) : IQuery<Result<IReadOnlyList<DisputeView>>>;

public sealed record DisputeView(string Id, string UserId, string? InvoiceId, long Amount, string Currency, string? Reason, string Status, bool Open, DateTimeOffset? DueBy, DateTimeOffset Created, DateTimeOffset? ClosedAt)
{
    public static DisputeView Of(PaymentDispute d) =>
        new(d.Id, d.UserId, d.InvoiceId, d.Amount, d.Currency, d.Reason, d.Status.Code(), d.IsOpen, d.DueBy, d.Created, d.ClosedAt);
}

/// <summary>Which disputes to list: those still open, those decided, or all.</summary>
public enum DisputeStanding
{
    Open,
    Closed,
    All,
}

public static class DisputeStandings
{
    public static bool TryParse(string? code, out DisputeStanding standing) =>
        Enum.TryParse(code, ignoreCase: true, out standing) && Enum.IsDefined(standing) && !int.TryParse(code, out _);
}

public sealed class ListDisputesValidator : AbstractValidator<ListDisputes>
{
    public ListDisputesValidator()
    {
        RuleFor(x => x.Status).Must(s => s is null || DisputeStandings.TryParse(s, out _)).WithMessage("status must be open, closed or all.").OverridePropertyName("status");
        RuleFor(x => x.Limit).InclusiveBetween(1, 500).WithMessage("limit must be between 1 and 500.").OverridePropertyName("limit");
    }
}

public sealed class ListDisputesHandler(IDisputeBook disputes) : IQueryHandler<ListDisputes, Result<IReadOnlyList<DisputeView>>>
{
    public async ValueTask<Result<IReadOnlyList<DisputeView>>> Handle(ListDisputes query, CancellationToken cancellationToken)
    {
        bool? open = DisputeStandings.TryParse(query.Status, out var standing) ? standing switch
        {
            DisputeStanding.Open => true,
            DisputeStanding.Closed => false,
            _ => null,
        } : null;
        return (await disputes.ListAsync(open, query.Limit, cancellationToken)).Select(DisputeView.Of).ToList();
    }
}
