using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Webhooks.Grains.Telemetry;

namespace Webhooks.Server.Operations;

/// <summary>
/// OpenTelemetry metrics and traces: the dispatcher's meter, Orleans' own meter and activity sources, ASP.NET Core,
/// outgoing HTTP and the runtime. Exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (protocol, headers and service name from the other <c>OTEL_*</c> variables); otherwise metrics are collected
/// (for in-process readers) and traces are not recorded at all.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddWebhooksTelemetry(this WebApplicationBuilder builder)
    {
        var export = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("webhooks-orleans"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WebhooksMetrics.MeterName, "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (export)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Traces exist only to be exported: collecting them with nowhere to send them would still create an
        // Activity for every grain call and HTTP exchange on the delivery path.
        if (export)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
    }
}
