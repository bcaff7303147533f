// Package bulk asks about many refunds across providers at once. It needs
// only [refundkit.Inquirer]: give [New] one client per provider (the
// clients of package inquiry, or any other Inquirer), then range over
// [Runner.Run] with a stream of [Item]s. It keeps a fixed number of
// inquiries in flight, yields each [Outcome] as it finishes and, with
// [WithPollUntilFinal], asks again about pending refunds on a backoff
// schedule until they are final, the context ends or a maximum age passes.
// Memory is bounded by the concurrency and the waiting set, not by the
// number of items. Per-provider rate limits and retries are the clients'
// own.
//
// Its errors are prefixed "bulk: ".
package bulk
