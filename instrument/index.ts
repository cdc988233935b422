/**
 * `voting-mixin/instrument`: expose exactly the metrics the dashboards and alerts query, from the
 * catalog, on a registry you own. prom-client is a peer dependency (install it beside this package).
 *
 * @example
 *   import { serviceRegistry, httpMetrics, httpMiddleware, queueProducerMetrics } from 'voting-mixin/instrument';
 *   const registry = serviceRegistry();
 *   app.use(httpMiddleware({ metrics: httpMetrics(registry) }));
 *   const producer = queueProducerMetrics(registry, { queue: 'votes' });
 */
export {
  CLIENT_CLOSED_STATUS,
  type HttpMetrics,
  type HttpMiddlewareOptions,
  type HttpObservation,
  type HttpRequestLike,
  type HttpResponseLike,
  httpMetrics,
  httpMiddleware,
  nameRoute,
  OTHER_ROUTE,
  routePrefix,
  routeTemplate,
  UNMATCHED_ROUTE,
} from './http.js';
export {
  clearMetric,
  createMetric,
  type MetricOptions,
  metricByName,
  type PromMetric,
  setCounter,
  sharedMetric,
} from './metric.js';
export {
  ENQUEUE_FAILURE_REASONS,
  type EnqueueFailureReason,
  enqueueFailureReason,
  PROCESS_RESULTS,
  type ProcessResult,
  type QueueConsumerMetrics,
  type QueueProducerMetrics,
  queueConsumerMetrics,
  queueProducerMetrics,
} from './queue.js';
export { type ServiceRegistryOptions, serviceRegistry } from './registry.js';
