using Billing.Application.Common.Behaviours;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Billing.Application.Tests;

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
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object);

        await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>("ok"), default);

        uow.Verify(u => u.CommitAsync(It.IsAny<CancellationToken>()), Times.Once);
        uow.Verify(u => u.Discard(), Times.Never);
    }

    [Test]
    public async Task The_unit_of_work_discards_an_expected_failure()
    {
        var uow = new Mock<IUnitOfWork>();
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object);

        await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>(Error.NotFound("x", "y")), default);

        uow.Verify(u => u.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
        uow.Verify(u => u.Discard(), Times.Once);
    }

    [Test]
    public async Task The_unit_of_work_discards_when_the_handler_throws()
    {
        var uow = new Mock<IUnitOfWork>();
        var behaviour = new UnitOfWorkBehaviour<Probe, Result<string>>(uow.Object);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await behaviour.Handle(new Probe("x"), (_, _) => throw new InvalidOperationException(), default));
        uow.Verify(u => u.Discard(), Times.Once);
        uow.Verify(u => u.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Logging_passes_the_answer_through()
    {
        var behaviour = new LoggingBehaviour<Probe, Result<string>>(NullLogger<LoggingBehaviour<Probe, Result<string>>>.Instance);

        var result = await behaviour.Handle(new Probe("x"), (_, _) => new ValueTask<Result<string>>("ok"), default);

        Assert.That(result.Value, Is.EqualTo("ok"));
    }

    [Test]
    public void A_catalog_with_an_unknown_tier_is_refused_at_start()
    {
        var error = Assert.Throws<ArgumentException>(() => new Common.Catalog.PlanCatalog(new Common.Catalog.PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["gold"] = new Common.Catalog.TierDefinition { Prices = new() { ["monthly"] = 1 } } },
        }));

        Assert.That(error!.Message, Does.Contain("gold"));
    }
}
