/**
 * Futures: {@link io.squall.concurrent.Future}, the one result type every asynchronous operation in
 * Squall returns, with its interop to {@link java.util.concurrent.CompletionStage}.
 */
package io.squall.concurrent;
