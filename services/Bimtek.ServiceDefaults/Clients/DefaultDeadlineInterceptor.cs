using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Bimtek.ServiceDefaults.Clients;

/// <summary>grpc-dotnet has no default deadline: give every outgoing call one, never later than the one it inherited.</summary>
public sealed class DefaultDeadlineInterceptor(TimeSpan timeout) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithDeadline(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, context); // streams live as long as their reader wants

    private ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var limit = DateTime.UtcNow + timeout;
        if (context.Options.Deadline is { } existing && existing <= limit)
        {
            return context;
        }
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithDeadline(limit));
    }
}
