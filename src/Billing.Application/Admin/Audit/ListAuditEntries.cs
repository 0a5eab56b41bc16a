using Billing.Application.Common.Audit;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;

namespace Billing.Application.Admin.Audit;

/// <summary>The audit trail, newest first: every administrator action with who, what, when and how it ended.</summary>
public sealed record ListAuditEntries(string? AdminId, string? Target, int Limit = 50) : IQuery<Result<IReadOnlyList<AuditEntry>>>;

public sealed class ListAuditEntriesValidator : AbstractValidator<ListAuditEntries>
{
    public ListAuditEntriesValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 500).WithMessage("limit must be between 1 and 500.").OverridePropertyName("limit");
        RuleFor(x => x.AdminId).MaximumLength(128).OverridePropertyName("admin_id");
        RuleFor(x => x.Target).MaximumLength(200).OverridePropertyName("target");
    }
}

public sealed class ListAuditEntriesHandler(IAuditTrail trail) : IQueryHandler<ListAuditEntries, Result<IReadOnlyList<AuditEntry>>>
{
    public async ValueTask<Result<IReadOnlyList<AuditEntry>>> Handle(ListAuditEntries query, CancellationToken cancellationToken) =>
        Result<IReadOnlyList<AuditEntry>>.Success(await trail.ListAsync(query.AdminId, query.Target, query.Limit, cancellationToken));
}
