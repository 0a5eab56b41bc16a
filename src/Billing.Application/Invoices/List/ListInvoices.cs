using Billing.Application.Common;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Invoices.Backfill;
using FluentValidation;
using Billing.Application.Organizations;
using Mediator;

namespace Billing.Application.Invoices.List;

/// <summary>
/// The caller's invoices, newest first, from this service's invoice book (kept by webhooks): no Stripe call and no
/// write. A book not filled yet with what came before it says so (<see cref="InvoiceList.BookFilled"/>); the caller
/// then sends <see cref="BackfillInvoices"/> once and asks again.
/// </summary>
public sealed record ListInvoices(string UserId, int Limit = 10, string? StartingAfter = null, OrganizationCaller? Organization = null) : IQuery<Result<InvoiceList>>, IActsForOrganization
{
    public bool ChangesBilling => true;
}

public sealed record InvoiceList(IReadOnlyList<InvoiceView> Data, bool HasMore)
{
    /// <summary>False until the book holds the invoices from before webhooks reached this service.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool BookFilled { get; init; } = true;
}

public sealed class ListInvoicesValidator : AbstractValidator<ListInvoices>
{
    public ListInvoicesValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 100).WithMessage("limit must be between 1 and 100.").OverridePropertyName("limit");
        RuleFor(x => x.StartingAfter)
            .Matches(@"\Ain_[A-Za-z0-9]{1,250}\z").WithMessage("starting_after must be an invoice id (in_…).")
            .When(x => x.StartingAfter is not null)
            .OverridePropertyName("starting_after");
    }
}

public sealed class ListInvoicesHandler(IBillingAccountRepository accounts, IInvoiceBook book) : IQueryHandler<ListInvoices, Result<InvoiceList>>
{
    public async ValueTask<Result<InvoiceList>> Handle(ListInvoices query, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(query.UserId, cancellationToken);
        if (account?.StripeCustomerId is not { } customerId)
        {
            return new InvoiceList([], false);
        }

        if (account.InvoicesBackfilledAt is null)
        {
            return new InvoiceList([], false) { BookFilled = false };
        }

        // One more than asked tells whether there is a next page; only the caller's customer is ever read.
        var page = await book.ListAsync(customerId, query.Limit + 1, query.StartingAfter, cancellationToken);
        var processing = account.PaymentProcessing ? account.OpenInvoice?.InvoiceId : null;
        return new InvoiceList(page.Take(query.Limit).Select(i => InvoiceView.Of(i) with { PaymentProcessing = i.Id == processing }).ToList(), page.Count > query.Limit);
    }
}
