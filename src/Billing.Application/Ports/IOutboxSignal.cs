using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>Wakes the in-process outbox relay when new messages were committed.</summary>
public interface IOutboxSignal
{
    void Notify();
}
