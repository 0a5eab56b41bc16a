# syntax=docker/dockerfile:1
# The billing service: built with the .NET SDK, run on the chiseled ASP.NET runtime (no shell, no package
# manager, non-root user "app"). Build: docker build -t billing . ; run: see deploy/compose.yaml and README "Production".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a code change does not download packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Billing.Domain/Billing.Domain.csproj src/Billing.Domain/
COPY src/Billing.Application/Billing.Application.csproj src/Billing.Application/
COPY src/Billing.Infrastructure/Billing.Infrastructure.csproj src/Billing.Infrastructure/
COPY src/Billing.Api/Billing.Api.csproj src/Billing.Api/
RUN dotnet restore src/Billing.Api/Billing.Api.csproj
COPY src/ src/
RUN dotnet publish src/Billing.Api/Billing.Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false \
 && mkdir -p /data

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app .
# The embedded SQLite file lives on a volume the non-root user owns; set BILLING_DATABASE to PostgreSQL for real deployments.
COPY --from=build --chown=1654:1654 /data /data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    BILLING_DATABASE="Data Source=/data/billing.db" \
    BILLING_LOG_FORMAT=json
USER 1654
EXPOSE 8080
VOLUME ["/data"]
# No shell or curl in a chiseled image: the service probes its own /health/live.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["dotnet", "Billing.Api.dll", "health"]
ENTRYPOINT ["dotnet", "Billing.Api.dll"]
