using Billing.Application.Common.Behaviours;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;
using Moq;

namespace Billing.Application.Tests.Common;

public sealed class PipelineTests
{
    public sealed record Probe(string? Name) : ICommand<Result<string>>;

    private sealed class ProbeValidator : AbstractValidator<Probe>
    {
        public ProbeValidator() => RuleFor(p => p.Name).NotEmpty();
    }

    [Test]
    public async Task Validation_stops_an_invalid_message_before_its_handler()
    {
        var behaviour = new ValidationBehaviour<Probe, Result<string>>([new ProbeValidator()]);
        var called = false;

        await Assert.ThrowsAsync<ValidationException>(async () => await behaviour.Handle(new Probe(null), (_, _) =>
        {
            called = true;
            return new ValueTask<Result<string>>("ok");
        }, default));
        Assert.That(called, Is.False);
    }

    [Test]
    public async Task The_unit_of_work_commits_a_success()
    {
        var uow = new Mock<IUnitOfWork>();
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object, new Billing.Application.Common.BillingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<UnitOfWorkBehaviour<Probe, Result<string>>>.Instance);

        await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>("ok"), default);

        uow.Verify(u => u.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        uow.Verify(u => u.Discard(), Times.Never);
    }

    [Test]
    public async Task The_unit_of_work_discards_an_expected_failure()
    {
        var uow = new Mock<IUnitOfWork>();
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object, new Billing.Application.Common.BillingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<UnitOfWorkBehaviour<Probe, Result<string>>>.Instance);

        await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>(Error.NotFound("x", "y")), default);

        uow.Verify(u => u.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
        uow.Verify(u => u.Discard(), Times.Once);
    }

    [Test]
    public async Task The_unit_of_work_discards_when_the_handler_throws()
    {
        var uow = new Mock<IUnitOfWork>();
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object, new Billing.Application.Common.BillingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<UnitOfWorkBehaviour<Probe, Result<string>>>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await behaviour.Handle(new Probe("x"), (_, _) => throw new InvalidOperationException(), default));
        uow.Verify(u => u.Discard(), Times.Once);
        uow.Verify(u => u.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_concurrent_change_runs_the_whole_command_again_on_fresh_state()
    {
        var uow = new Mock<IUnitOfWork>();
        uow.SetupSequence(u => u.CommitAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ConcurrentChangeException("first"))
            .ThrowsAsync(new ConcurrentChangeException("second"))
            .Returns(Task.CompletedTask);
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object, new Billing.Application.Common.BillingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<UnitOfWorkBehaviour<Probe, Result<string>>>.Instance);
        var runs = 0;

        var answer = await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>($"run {++runs}"), default);

        Assert.That(runs, Is.EqualTo(3));
        Assert.That(answer.Value, Is.EqualTo("run 3"));
        uow.Verify(u => u.Discard(), Times.Exactly(2));
    }

    [Test]
    public async Task A_conflict_that_outlasts_every_run_goes_up_with_nothing_saved()
    {
        var uow = new Mock<IUnitOfWork>();
        uow.Setup(u => u.CommitAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new ConcurrentChangeException("always"));
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object, new Billing.Application.Common.BillingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<UnitOfWorkBehaviour<Probe, Result<string>>>.Instance);
        var runs = 0;

        await Assert.ThrowsAsync<ConcurrentChangeException>(async () => await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>($"run {++runs}"), default));
        Assert.That(runs, Is.EqualTo(UnitOfWorkBehaviour<Probe, Result<string>>.MaxRuns));
        uow.Verify(u => u.Discard(), Times.Exactly(UnitOfWorkBehaviour<Probe, Result<string>>.MaxRuns));
    }

    [Test]
    public async Task Logging_passes_the_answer_through_and_logs_the_message_name_and_outcome_never_its_body()
    {
        var logger = new CapturingLogger<LoggingBehaviour<Probe, Result<string>>>();
        var behaviour = new LoggingBehaviour<Probe, Result<string>>(logger);

        var ok = await behaviour.Handle(new Probe("ada@example.com"), (_, _) => new ValueTask<Result<string>>("ok"), default);
        var failed = await behaviour.Handle(new Probe("ada@example.com"), (_, _) => new ValueTask<Result<string>>(Error.NotFound("x", "y")), default);

        Assert.That(ok.Value, Is.EqualTo("ok"));
        Assert.That(failed.Error!.Code, Is.EqualTo("x"));
        Assert.That(logger.Entries.Select(e => e.Level), Is.EqualTo(new[] { LogLevel.Debug, LogLevel.Information }));
        Assert.That(logger.Entries, Has.All.Matches<(LogLevel Level, string Text)>(e => e.Text.StartsWith("Probe ", StringComparison.Ordinal)));
        Assert.That(logger.Entries[1].Text, Does.Contain("expected failure"));
        Assert.That(logger.Entries.Select(e => e.Text), Has.None.Contains("ada@example.com"));
    }

    private sealed class CapturingLogger<T> : ILogger<T>
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
