using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>
/// Thrown by <see cref="IUnitOfWork.CommitAsync"/> when another writer saved one of the command's accounts first.
/// Nothing of the command was saved; the pipeline runs the whole command again on the fresh state.
/// </summary>
public sealed class ConcurrentChangeException(string message, Exception? inner = null) : Exception(message, inner);
