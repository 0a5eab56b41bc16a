using Billing.Application.Common.Audit;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Common.Behaviours;

/// <summary>
/// Records every administrator command in the audit trail once it has run (or was refused, or threw), outside its
/// transaction, so a failed action is on record too. The action is named by its command (<c>refund_invoice</c>).
/// </summary>
public sealed class AuditBehaviour<TMessage, TResponse>(IAuditTrail trail, TimeProvider clock)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IAdminAction, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var outcome = "threw";
        try
        {
            var response = await next(message, cancellationToken);
            outcome = response is IResultCarrier { Succeeded: false } failed ? failed.FailureCode ?? "failed" : "succeeded";
            return response;
        }
        finally
        {
            await trail.RecordAsync(clock.GetUtcNow(), message.AdminId, ActionName(typeof(TMessage).Name), message.AuditTarget, outcome, CancellationToken.None);
        }
    }

    /// <summary><c>RefundInvoice</c> as <c>refund_invoice</c>.</summary>
    private static string ActionName(string typeName) =>
        string.Concat(typeName.Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));
}
