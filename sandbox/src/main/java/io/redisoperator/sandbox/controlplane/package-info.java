/**
 * A real Kubernetes control plane for the sandbox: the binary built from the repository's Go
 * module, its PKI and kubeconfigs, and etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler as process groups.
 */
package io.redisoperator.sandbox.controlplane;
