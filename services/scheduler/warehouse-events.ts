/**
 * What warehouses report about their compute as it changes: the contract between the
 * warehouses (services/scheduler/) and what follows their clusters, first of all metering
 * (credits billed per second per running cluster, 60 s minimum per start and for the rate a resize up adds). Times are
 * milliseconds since the epoch from the clock the registry was given, so a test can drive them.
 *
 * Contract: for each (warehouseId, cluster) the calls alternate clusterStarted, then any number
 * of clusterResized, then clusterStopped; a cluster is numbered from 1 within its warehouse.
 * The server's shutdown stops every running cluster. Listeners must not throw or block.
 */
import type { WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';

export type ClusterEvent = { warehouseId: number; warehouse: string; cluster: number; size: WarehouseSize; at: number };

export type WarehouseEvents = {
  /** A cluster's workers started: CREATE (not INITIALLY_SUSPENDED), RESUME, auto-resume, a multi-cluster scale-out. */
  clusterStarted(e: ClusterEvent): void;
  /** A running cluster changed size: it is billed at the new size's rate from `at`, the rate it adds (a resize up) billed for at least 60 s. */
  clusterResized(e: ClusterEvent): void;
  /** A cluster's workers stopped: SUSPEND, auto-suspend, scale-in, DROP, server shutdown. */
  clusterStopped(e: ClusterEvent): void;
};

/** Milliseconds since the epoch; injectable so metering and auto-suspend can be tested exactly. */
export type Clock = () => number;
